package dev.lintel.micrometer;

import dev.lintel.core.pipeline.Pipeline;
import dev.lintel.pipeline.PipelineProgress;
import dev.lintel.pipeline.StageProgress;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * A data pipeline's counts, tagged {@code pipeline=<name>} and, per stage, {@code stage=<name>}:
 * items by where they ended ({@code lintel.pipeline.items{result=read|processed|skipped|
 * deadlettered|dropped}}), and per stage the items in and out, failed attempts, queue depth and
 * busy workers. Stage names are the pipeline's own, so tags stay few. Read from {@link
 * Pipeline#progress()} when scraped, at most once per scrape of each meter.
 */
final class PipelineMetrics {
  private PipelineMetrics() {}

  static void register(Pipeline pipeline, MeterSink sink, MeterRegistry registry) {
    String name = pipeline.name(); // the runtime's component name, "pipeline:<name>"
    Tags tags =
        Tags.of(
            "pipeline", name.startsWith("pipeline:") ? name.substring("pipeline:".length()) : name);
    result(pipeline, "read", PipelineProgress::read, tags, sink, registry);
    result(pipeline, "processed", PipelineProgress::processed, tags, sink, registry);
    result(pipeline, "skipped", PipelineProgress::skipped, tags, sink, registry);
    result(pipeline, "deadlettered", PipelineProgress::deadLettered, tags, sink, registry);
    result(pipeline, "dropped", PipelineProgress::dropped, tags, sink, registry);
    for (StageProgress stage : pipeline.progress().stages()) {
      Tags stageTags = tags.and("stage", stage.name());
      stageCounter(
          pipeline,
          stage.name(),
          "lintel.pipeline.stage.in",
          StageProgress::in,
          "Items that entered the stage",
          stageTags,
          sink,
          registry);
      stageCounter(
          pipeline,
          stage.name(),
          "lintel.pipeline.stage.out",
          StageProgress::out,
          "Items the stage passed on",
          stageTags,
          sink,
          registry);
      stageCounter(
          pipeline,
          stage.name(),
          "lintel.pipeline.stage.failures",
          StageProgress::failures,
          "Failed attempts, retried ones included",
          stageTags,
          sink,
          registry);
      stageGauge(
          pipeline,
          stage.name(),
          "lintel.pipeline.stage.queued",
          StageProgress::queued,
          "Items waiting in the stage's input",
          stageTags,
          sink,
          registry);
      stageGauge(
          pipeline,
          stage.name(),
          "lintel.pipeline.stage.busy",
          StageProgress::busy,
          "Workers working on an item",
          stageTags,
          sink,
          registry);
    }
  }

  private static void result(
      Pipeline pipeline,
      String result,
      ToLongFunction<PipelineProgress> count,
      Tags tags,
      MeterSink sink,
      MeterRegistry registry) {
    sink.track(
        registry,
        FunctionCounter.builder(
                "lintel.pipeline.items", pipeline, p -> count.applyAsLong(p.progress()))
            .tags(tags.and("result", result))
            .description("Items of the pipeline by where they ended (read: taken from the source)")
            .register(registry));
  }

  private static void stageCounter(
      Pipeline pipeline,
      String stage,
      String name,
      ToLongFunction<StageProgress> count,
      String description,
      Tags tags,
      MeterSink sink,
      MeterRegistry registry) {
    sink.track(
        registry,
        FunctionCounter.builder(name, pipeline, p -> count.applyAsLong(stage(p, stage)))
            .tags(tags)
            .description(description)
            .register(registry));
  }

  private static void stageGauge(
      Pipeline pipeline,
      String stage,
      String name,
      ToDoubleFunction<StageProgress> value,
      String description,
      Tags tags,
      MeterSink sink,
      MeterRegistry registry) {
    sink.track(
        registry,
        Gauge.builder(name, pipeline, p -> value.applyAsDouble(stage(p, stage)))
            .tags(tags)
            .description(description)
            .register(registry));
  }

  private static StageProgress stage(Pipeline pipeline, String name) {
    for (StageProgress stage : pipeline.progress().stages()) {
      if (stage.name().equals(name)) {
        return stage;
      }
    }
    throw new IllegalStateException("pipeline '" + pipeline.name() + "' has no stage " + name);
  }
}
