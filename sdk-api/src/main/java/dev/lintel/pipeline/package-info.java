/**
 * Bounded data pipelines: the contracts of a {@link dev.lintel.pipeline.Source} that items are read
 * from, the {@link dev.lintel.pipeline.Step} functions and {@link dev.lintel.pipeline.Sink} they
 * pass through, the {@link dev.lintel.pipeline.ErrorPolicy} of a stage, and the {@link
 * dev.lintel.pipeline.PipelineProgress} a running pipeline reports. The pipeline itself is built in
 * {@code dev.lintel.core.pipeline}.
 *
 * <p>Every item a pipeline reads ends in exactly one of four counts: processed (the sink accepted
 * it), skipped, dead-lettered, or dropped (only where a stage was told to drop on overflow). Once a
 * pipeline completed, {@code processed + skipped + deadLettered + dropped == read}.
 */
@NullMarked
package dev.lintel.pipeline;

import org.jspecify.annotations.NullMarked;
