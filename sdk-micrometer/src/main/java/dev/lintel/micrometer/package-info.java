/**
 * Micrometer metrics for Lintel: {@link dev.lintel.micrometer.LintelMetrics} binds the components
 * of a runtime to one or more registries and removes its meters again when it stops.
 */
@NullMarked
package dev.lintel.micrometer;

import org.jspecify.annotations.NullMarked;
