package dev.lintel.core.pipeline;

import dev.lintel.pipeline.InvalidItemException;
import dev.lintel.pipeline.Source;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How the source thread reads a source that never waits for its next item (a collection, a sized
 * stream, a file) when the first stage after the {@code map} steps is a batch: it fills the batches
 * itself, so no item crosses a thread on its own, and makes no envelope per item. Each item gets
 * its read number and goes through the map steps as a bare value; only an item that fails a step
 * (or that the source finds invalid) gets an envelope, to meet its error policy exactly as the
 * per-item path would. Items are counted in bulk.
 *
 * <p>A batch is handed on when full, when reading ends or stops, and when its first item has waited
 * the batch's {@code maxWait}: the clock is read as items are added, after 1, 2, 4 ... items and
 * then every {@value #CHECK_EVERY}, so a batch whose items come slowly (a slow {@code map} step) is
 * handed on within about twice {@code maxWait}. For checkpoints a batch is one open item spanning
 * its parts' positions, so a checkpoint never passes an item that waits in a batch not yet handed
 * on. The batch stage's own thread then only passes the end of input on.
 */
final class SourceBatches {
  private static final int CHECK_EVERY = 64;

  private final RunControl run;
  private final Source<?> source;
  private final StageCounters counters;
  private final Attempts attempts;
  private final FusedStep[] steps;
  private final BatchStage batches;
  private final int size;
  private final boolean keyed;

  private List<Object> values;
  private @Nullable List<Object> origins;
  private long firstSeq;
  private long start;
  private long deadline;
  private long readCounted; // read numbers up to here are counted by the source stage
  private long stepsCounted; // and by the steps
  private int invalid; // items the source found invalid since the source stage was last counted
  private int slow; // items that failed a step since the steps were last counted

  SourceBatches(
      RunControl run,
      Source<?> source,
      StageCounters counters,
      Attempts attempts,
      Emitter downstream,
      BatchStage batches) {
    this.run = run;
    this.source = source;
    this.counters = counters;
    this.attempts = attempts;
    this.steps = downstream.steps();
    this.batches = batches;
    this.size = batches.size();
    this.keyed = run.keyOf != null;
    this.readCounted = run.ledger.numbered();
    this.stepsCounted = readCounted;
    this.values = new ArrayList<>(size);
    this.origins = keyed ? new ArrayList<>(size) : null;
  }

  /** Whether the source thread should fill the first stage's batches for this source. */
  static boolean suits(Source<?> source, Stage first) {
    boolean neverWaits =
        (source instanceof IteratorSource<?> items && items.length() >= 0) // a collection
            || source instanceof JsonLinesSource;
    return neverWaits && first instanceof BatchStage && first.takesGroups();
  }

  void readAll() throws Exception {
    try {
      while (!run.readingStopped()) {
        if (values.isEmpty()) {
          start = source.position();
        }
        Object item;
        try {
          item = source.read();
        } catch (InvalidItemException invalid) {
          invalid(invalid);
          continue;
        }
        if (item == null) {
          break;
        }
        long seq = run.ledger.number();
        @Nullable Object value = item;
        for (int i = 0; i < steps.length; i++) {
          try {
            value = steps[i].applyTo(value);
          } catch (Exception e) {
            value = recover(item, value, seq, i, e);
            break;
          }
        }
        if (value != null) {
          add(value, item, seq);
        }
      }
      flush();
    } finally {
      countRead();
      countSteps();
    }
  }

  private void add(Object value, Object item, long seq) throws InterruptedException {
    if (values.isEmpty()) {
      firstSeq = seq;
      deadline = System.nanoTime() + batches.maxWaitNanos();
    }
    values.add(value);
    if (origins != null) {
      origins.add(item);
    }
    int held = values.size();
    if (held >= size) {
      flush();
    } else if (clockDue(held)) {
      if (System.nanoTime() - deadline >= 0) {
        flush();
      } else { // a large batch filling: keep the reports moving
        countRead();
        countSteps();
        run.ledger.publishRead();
      }
    }
  }

  /**
   * Whether to read the clock with {@code held} items in the batch: at 1, 2, 4 ... {@value
   * #CHECK_EVERY} items, then every {@value #CHECK_EVERY}. Slowly filled batches are so checked
   * after each item's time has at most doubled, fast ones at a cost of one clock read per {@value
   * #CHECK_EVERY} items.
   */
  private static boolean clockDue(int held) {
    return held % CHECK_EVERY == 0 || (held & (held - 1)) == 0;
  }

  /**
   * Takes an item whose step {@code failed} at its first attempt through the rest of the steps with
   * an envelope of its own; returns its value, or null when the policy skipped or dead-lettered it.
   */
  private @Nullable Object recover(Object item, Object value, long seq, int failed, Exception error)
      throws InterruptedException {
    slow++;
    run.ledger.publishRead();
    for (int i = 0; i < failed; i++) {
      steps[i].passedInBulk(1);
    }
    long at = source.position();
    Envelope envelope = Envelope.read(value, seq, keyed ? item : null, at, at);
    if (!steps[failed].recover(envelope, error)) {
      return null;
    }
    for (int i = failed + 1; i < steps.length; i++) {
      if (!steps[i].apply(envelope)) {
        return null;
      }
    }
    return envelope.value();
  }

  private void invalid(InvalidItemException error) throws InterruptedException {
    long seq = run.ledger.number();
    run.ledger.publishRead();
    long at = source.position();
    invalid++;
    slow++; // it reaches no step
    counters.entered(1);
    attempts.invalid(Envelope.read(error.raw(), seq, null, at, at), error);
  }

  /** Hands the batch on; with nothing in it, moves the end of what was read past what failed. */
  private void flush() throws InterruptedException {
    countRead();
    countSteps();
    if (values.isEmpty()) {
      run.ledger.finishedUpTo(source.position());
      return;
    }
    long lastSeq = run.ledger.numbered() - 1;
    Envelope batch = Envelope.batchOf(values, firstSeq, lastSeq, origins, start, source.position());
    newBatch();
    run.ledger.admitBatch(batch);
    batches.handOn(batch);
  }

  private void newBatch() {
    values = new ArrayList<>(size);
    origins = keyed ? new ArrayList<>(size) : null;
  }

  /** Counts the items that went through every step at the first attempt. */
  private void countSteps() {
    long numbered = run.ledger.numbered();
    int fast = (int) (numbered - stepsCounted) - slow;
    stepsCounted = numbered;
    slow = 0;
    if (fast > 0) {
      for (FusedStep step : steps) {
        step.passedInBulk(fast);
      }
    }
  }

  /** Counts the items read and passed on (an invalid item counted itself as it came). */
  private void countRead() {
    long numbered = run.ledger.numbered();
    int passed = (int) (numbered - readCounted) - invalid;
    readCounted = numbered;
    invalid = 0;
    if (passed > 0) {
      counters.entered(passed);
      counters.passed(passed);
    }
  }
}
