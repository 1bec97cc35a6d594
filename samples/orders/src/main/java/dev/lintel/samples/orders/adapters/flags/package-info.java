/** Feature flags through Lintel's flags. */
@NullMarked
package dev.lintel.samples.orders.adapters.flags;

import org.jspecify.annotations.NullMarked;
