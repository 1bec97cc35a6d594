/** The client of the shipping company's quote service. */
@NullMarked
package dev.lintel.samples.orders.adapters.shipping;

import org.jspecify.annotations.NullMarked;
