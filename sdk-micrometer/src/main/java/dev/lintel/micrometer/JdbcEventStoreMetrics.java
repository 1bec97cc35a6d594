package dev.lintel.micrometer;

import dev.lintel.jdbc.eventsourcing.JdbcEventStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import java.util.concurrent.TimeUnit;

/**
 * The JDBC event store's own counters ({@link JdbcEventStore#stats()}), tagged {@code
 * store=<name>}: the wait for the global position lock, visibility gaps and group commit. Kept in
 * its own class so that sdk-jdbc is needed only by hosts that use it.
 */
final class JdbcEventStoreMetrics {
  private JdbcEventStoreMetrics() {}

  static void register(String name, Object store, MeterSink sink, MeterRegistry registry) {
    JdbcEventStore jdbc = (JdbcEventStore) store;
    Tags tags = Tags.of("store", name);
    sink.track(
        registry,
        FunctionTimer.builder(
                "lintel.eventstore.position.lock.wait",
                jdbc,
                s -> s.stats().appends(),
                s -> s.stats().positionLockWait().toNanos(),
                TimeUnit.NANOSECONDS)
            .tags(tags)
            .description("Appends and their total wait for the global position lock")
            .register(registry));
    sink.track(
        registry,
        TimeGauge.builder(
                "lintel.eventstore.position.lock.wait.max",
                jdbc,
                TimeUnit.NANOSECONDS,
                s -> s.stats().maxPositionLockWait().toNanos())
            .tags(tags)
            .description("The longest single wait for the global position lock")
            .register(registry));
    sink.track(
        registry,
        FunctionCounter.builder(
                "lintel.eventstore.position.lock.slow",
                jdbc,
                s -> s.stats().slowPositionLockWaits())
            .tags(tags)
            .description("Waits for the position lock over the store's warning threshold")
            .register(registry));
    sink.track(
        registry,
        FunctionCounter.builder(
                "lintel.eventstore.visibility.gaps", jdbc, s -> s.stats().visibilityGaps())
            .tags(tags)
            .description("Reads that stopped before a committed but not yet visible position")
            .register(registry));
    sink.track(
        registry,
        FunctionCounter.builder(
                "lintel.eventstore.group.commits", jdbc, s -> s.stats().groupCommits())
            .tags(tags)
            .description("Transactions that wrote the store's own appends, one or more each")
            .register(registry));
    sink.track(
        registry,
        Gauge.builder("lintel.eventstore.group.largest", jdbc, s -> s.stats().largestGroup())
            .tags(tags)
            .description("The most appends group commit wrote in one transaction")
            .register(registry));
  }
}
