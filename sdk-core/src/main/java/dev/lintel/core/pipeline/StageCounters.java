package dev.lintel.core.pipeline;

import dev.lintel.pipeline.StageProgress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** One stage's counts, in source items, updated by its workers and read by reports. */
final class StageCounters {
  private final LongAdder in = new LongAdder();
  private final LongAdder out = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder skipped = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final AtomicInteger busy = new AtomicInteger();
  private volatile long lastProgress;

  StageCounters(long startNanos) {
    this.lastProgress = startNanos;
  }

  void begin(int items) {
    in.add(items);
    busy.incrementAndGet();
  }

  /** The stage finished with an item (passed on, skipped or dead-lettered) at {@code now}. */
  void end(long now) {
    busy.decrementAndGet();
    lastProgress = now;
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

  void dropped(int items, long now) {
    dropped.add(items);
    lastProgress = now;
  }

  void progressed(long now) {
    lastProgress = now;
  }

  long in() {
    return in.sum();
  }

  StageProgress snapshot(String name, int workers, int queued, int capacity, long now) {
    return new StageProgress(
        name,
        workers,
        in.sum(),
        out.sum(),
        failures.sum(),
        skipped.sum(),
        deadLettered.sum(),
        dropped.sum(),
        queued,
        capacity,
        busy.get(),
        Duration.ofNanos(Math.max(0, now - lastProgress)));
  }
}
