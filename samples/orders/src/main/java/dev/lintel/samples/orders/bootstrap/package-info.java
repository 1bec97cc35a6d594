/**
 * Wiring: reads the configuration, builds the adapters, hands them to the use cases, and starts
 * everything in one Lintel runtime. The only place that knows every layer.
 */
@NullMarked
package dev.lintel.samples.orders.bootstrap;

import org.jspecify.annotations.NullMarked;
