/**
 * The in-process data pipeline: {@link
 * dev.lintel.core.pipeline.Pipeline#from(dev.lintel.pipeline.Source)} builds typed stages over
 * bounded inputs with backpressure, worker pools, batching, error policies, progress reports and
 * source checkpoints; {@link dev.lintel.core.pipeline.Sources} and {@link
 * dev.lintel.core.pipeline.JsonLinesSource} adapt iterators, streams, queues and JSON-lines files.
 * Classes without {@code public} are implementation details.
 */
@NullMarked
package dev.lintel.core.pipeline;

import org.jspecify.annotations.NullMarked;
