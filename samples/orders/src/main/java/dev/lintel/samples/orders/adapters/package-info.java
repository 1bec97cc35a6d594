/**
 * The adapters: the outside world on either side of the application. Driving adapters call the use
 * cases (HTTP in {@code http}, the import job in {@code importer}); driven adapters implement the
 * application's ports with Lintel and JDBC ({@code persistence}, {@code customers}, {@code flags},
 * {@code shipping}). Adapters depend on the application and the domain, never the other way round.
 */
@NullMarked
package dev.lintel.samples.orders.adapters;

import org.jspecify.annotations.NullMarked;
