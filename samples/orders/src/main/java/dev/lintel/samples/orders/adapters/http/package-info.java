/** The HTTP API: Lintel's request pipeline behind the JDK's HttpServer. */
@NullMarked
package dev.lintel.samples.orders.adapters.http;

import org.jspecify.annotations.NullMarked;
