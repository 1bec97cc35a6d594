package dev.lintel.core.pipeline;

import dev.lintel.pipeline.StageProgress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * One stage's counts, in source items, updated by its workers and read by reports.
 *
 * <p>The hot path only adds to counters: no clock reading, no shared flag per item. The items in
 * and out of a stage worked by one thread (the source, a batch stage, a one-worker stage, a map
 * step on such a thread) are plain stores of that thread, each on a cache line of its own, so
 * neighbouring stages on other cores do not slow each other down; other stages add to striped
 * counters. The time since the stage last made progress is found when a report is made: the report
 * compares the items the stage has finished with what the previous report saw, and remembers when
 * that number last changed. It is as exact as reports are frequent, which for a threshold of a
 * minute, checked by the monitor every few seconds or by a health probe, is plenty.
 */
final class StageCounters {
  // single-writer counts, 128 bytes apart and away from the array's ends: no false sharing
  private static final int IN = 16;
  private static final int OUT = 32;
  private static final int SLOTS = 48;

  private final @Nullable AtomicLongArray own;
  private final @Nullable LongAdder in;
  private final @Nullable LongAdder out;
  private final LongAdder failures = new LongAdder();
  private final LongAdder skipped = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private long seenFinished = -1;
  private long changedAt;

  /**
   * Creates the counts of a stage.
   *
   * @param startNanos when the stage starts
   * @param oneWriter whether a single thread adds items in and out
   */
  StageCounters(long startNanos, boolean oneWriter) {
    this.changedAt = startNanos;
    this.own = oneWriter ? new AtomicLongArray(SLOTS) : null;
    this.in = oneWriter ? null : new LongAdder();
    this.out = oneWriter ? null : new LongAdder();
  }

  void entered(long items) {
    if (items <= 0) {
      return;
    }
    if (own != null) {
      own.lazySet(IN, own.get(IN) + items); // one writer: a plain store, no lock prefix
    } else {
      Objects.requireNonNull(in).add(items);
    }
  }

  void passed(long items) {
    if (items <= 0) {
      return;
    }
    if (own != null) {
      own.lazySet(OUT, own.get(OUT) + items);
    } else {
      Objects.requireNonNull(out).add(items);
    }
  }

  private long inSum() {
    return own != null ? own.get(IN) : Objects.requireNonNull(in).sum();
  }

  private long outSum() {
    return own != null ? own.get(OUT) : Objects.requireNonNull(out).sum();
  }

  void failure() {
    failures.increment();
  }

  void skipped(int items) {
    skipped.add(items);
  }

  void deadLettered(int items) {
    deadLettered.add(items);
  }

  void dropped(int items) {
    dropped.add(items);
  }

  /** Forgets what earlier reports saw: the stage starts now. */
  synchronized void restart(long now) {
    seenFinished = -1;
    changedAt = now;
  }

  /**
   * Reads the counts.
   *
   * @param workers the stage's threads
   * @param collects whether the stage collects items (a batch stage): all it holds count as busy
   * @param queued items in its input
   * @param capacity its input's size
   * @param now the time of the report
   */
  synchronized StageProgress snapshot(
      String name, int workers, boolean collects, int queued, int capacity, long now) {
    long entered = inSum();
    long passed = outSum();
    long skip = skipped.sum();
    long dead = deadLettered.sum();
    long finished = passed + skip + dead;
    if (finished != seenFinished) {
      if (seenFinished >= 0 || finished > 0) {
        changedAt = now; // progress happened since the last report (or the start)
      }
      seenFinished = finished;
    }
    long inHand = Math.max(0, entered - finished); // taken by workers, or collected in a batch
    // a worker takes a group of items at once, but works one at a time
    long busy = collects ? inHand : Math.min(workers, inHand);
    return new StageProgress(
        name,
        workers,
        entered,
        passed,
        failures.sum(),
        skip,
        dead,
        dropped.sum(),
        queued,
        capacity,
        (int) Math.min(Integer.MAX_VALUE, busy),
        Duration.ofNanos(Math.max(0, now - changedAt)));
  }
}
