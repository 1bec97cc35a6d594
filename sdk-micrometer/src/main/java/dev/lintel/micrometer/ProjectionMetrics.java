package dev.lintel.micrometer;

import dev.lintel.TimeSource;
import dev.lintel.core.eventsourcing.ProjectionRunner;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * How far one projection is behind the head of its event store, tagged {@code projection=<name>}:
 * in events ({@code lintel.projection.lag}) and in time ({@code lintel.projection.lag.time}: now
 * minus the timestamp of the last event handled, 0 when caught up). Read when scraped; the event
 * lag reads the store's last position.
 */
final class ProjectionMetrics {
  private ProjectionMetrics() {}

  static void register(
      ProjectionRunner runner, TimeSource time, MeterSink sink, MeterRegistry registry) {
    Tags tags = Tags.of("projection", runner.name().substring("projection:".length()));
    sink.track(
        registry,
        Gauge.builder("lintel.projection.lag", runner, ProjectionRunner::lag)
            .tags(tags)
            .description("Events in the store after the last one the projection handled")
            .baseUnit("events")
            .register(registry));
    sink.track(
        registry,
        TimeGauge.builder(
                "lintel.projection.lag.time",
                runner,
                TimeUnit.MILLISECONDS,
                r -> millisBehind(r, time))
            .tags(tags)
            .description("How long ago the last handled event was recorded, 0 when caught up")
            .register(registry));
  }

  private static double millisBehind(ProjectionRunner runner, TimeSource time) {
    if (runner.lag() == 0) {
      return 0;
    }
    Instant last = runner.lastHandledTimestamp();
    return last == null ? Double.NaN : Duration.between(last, time.now()).toMillis();
  }
}
