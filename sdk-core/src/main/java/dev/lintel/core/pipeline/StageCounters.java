package dev.lintel.core.pipeline;

import dev.lintel.pipeline.StageProgress;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * One stage's counts, in source items, updated by its workers and read by reports.
 *
 * <p>The hot path only adds to striped counters: no clock reading, no shared flag per item. The
 * time since the stage last made progress is found when a report is made: the report compares the
 * items the stage has finished with what the previous report saw, and remembers when that number
 * last changed. It is as exact as reports are frequent, which for a threshold of a minute, checked
 * by the monitor every few seconds or by a health probe, is plenty.
 */
final class StageCounters {
  private final LongAdder in = new LongAdder();
  private final LongAdder out = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder skipped = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private long seenFinished = -1;
  private long changedAt;

  StageCounters(long startNanos) {
    this.changedAt = startNanos;
  }

  void entered(int items) {
    in.add(items);
  }

  void passed(int items) {
    out.add(items);
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
   * @param queued items in its input
   * @param capacity its input's size
   * @param now the time of the report
   */
  synchronized StageProgress snapshot(
      String name, int workers, int queued, int capacity, long now) {
    long entered = in.sum();
    long passed = out.sum();
    long skip = skipped.sum();
    long dead = deadLettered.sum();
    long finished = passed + skip + dead;
    if (finished != seenFinished) {
      if (seenFinished >= 0 || finished > 0) {
        changedAt = now; // progress happened since the last report (or the start)
      }
      seenFinished = finished;
    }
    long inHand = Math.max(0, entered - finished); // being worked on, or collected in a batch
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
        (int) Math.min(Integer.MAX_VALUE, inHand),
        Duration.ofNanos(Math.max(0, now - changedAt)));
  }
}
