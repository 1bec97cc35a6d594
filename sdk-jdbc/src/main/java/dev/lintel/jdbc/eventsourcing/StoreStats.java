package dev.lintel.jdbc.eventsourcing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what a {@link JdbcEventStore} did for {@link JdbcEventStore#stats()}, and logs a wait for
 * the global position lock over the threshold at WARN. Thread-safe.
 */
final class StoreStats {
  /** The store's logger, so that hosts configure the warning where they configure the store. */
  private static final Logger log = LoggerFactory.getLogger(JdbcEventStore.class);

  private final long slowLockWaitNanos;
  private final LongAdder appends = new LongAdder();
  private final LongAdder conflicts = new LongAdder();
  private final LongAdder lockWaitNanos = new LongAdder();
  private final LongAccumulator maxLockWaitNanos = new LongAccumulator(Math::max, 0);
  private final AtomicLong slowLockWaits = new AtomicLong();
  private final LongAdder visibilityGaps = new LongAdder();
  private final LongAdder groups = new LongAdder();
  private final LongAccumulator largestGroup = new LongAccumulator(Math::max, 0);

  StoreStats(Duration slowLockWait) {
    this.slowLockWaitNanos = slowLockWait.toNanos();
  }

  void appended() {
    appends.increment();
  }

  void conflicted() {
    conflicts.increment();
  }

  void visibilityGap() {
    visibilityGaps.increment();
  }

  /** Records a group of appends written together in one transaction. */
  void grouped(int appendsInGroup) {
    groups.increment();
    largestGroup.accumulate(appendsInGroup);
  }

  /** Records an append transaction's wait for the global position lock, warning if it was slow. */
  void positionLockWaited(List<AppendBatch> batches, long nanos) {
    lockWaitNanos.add(nanos);
    maxLockWaitNanos.accumulate(nanos);
    if (nanos > slowLockWaitNanos) {
      slowLockWaits.incrementAndGet();
      log.warn(
          "{} waited {} ms for the global position lock: a long append transaction is holding it",
          batches.size() == 1
              ? "Append to stream '" + batches.get(0).stream() + "'"
              : "A group of "
                  + batches.size()
                  + " appends (the first to stream '"
                  + batches.get(0).stream()
                  + "')",
          nanos / 1_000_000);
    }
  }

  JdbcEventStore.Stats snapshot() {
    return new JdbcEventStore.Stats(
        appends.sum(),
        conflicts.sum(),
        Duration.ofNanos(lockWaitNanos.sum()),
        Duration.ofNanos(maxLockWaitNanos.get()),
        slowLockWaits.get(),
        visibilityGaps.sum(),
        groups.sum(),
        largestGroup.get());
  }
}
