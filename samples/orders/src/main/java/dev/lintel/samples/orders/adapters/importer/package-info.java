/** The import of historic orders on Lintel's data pipeline. */
@NullMarked
package dev.lintel.samples.orders.adapters.importer;

import org.jspecify.annotations.NullMarked;
