package dev.lintel.micrometer;

import dev.lintel.core.flags.Flags;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/** The counters of one {@link Flags} evaluator, tagged {@code flags=<name>}; read when scraped. */
final class FlagMetrics {
  private FlagMetrics() {}

  static void register(String name, Flags flags, MeterSink sink, MeterRegistry registry) {
    Tags tags = Tags.of("flags", name);
    sink.track(
        registry,
        FunctionCounter.builder("lintel.flags.evaluations", flags, f -> f.stats().evaluations())
            .tags(tags)
            .description("Flag evaluations")
            .register(registry));
    sink.track(
        registry,
        FunctionCounter.builder("lintel.flags.unknown", flags, f -> f.stats().unknownFlags())
            .tags(tags)
            .description("Evaluations of flags the store does not hold")
            .register(registry));
    sink.track(
        registry,
        FunctionCounter.builder("lintel.flags.errors", flags, f -> f.stats().errors())
            .tags(tags)
            .description("Evaluations that failed and answered the fallback")
            .register(registry));
  }
}
