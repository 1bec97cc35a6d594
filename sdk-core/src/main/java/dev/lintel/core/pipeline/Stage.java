package dev.lintel.core.pipeline;

import dev.lintel.pipeline.Overflow;
import dev.lintel.pipeline.PipelineException;
import dev.lintel.pipeline.StageProgress;
import java.util.Arrays;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stage with its own bounded input and worker threads. The end of input travels as a marker
 * behind the last item: each worker that takes it puts it back for its siblings and stops, and the
 * last worker to stop tells the next stage.
 */
abstract class Stage {
  private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

  /** How many times {@link #takeSoon()} polls before it blocks. */
  private static final int SPINS = 64;

  /** The end-of-input marker. */
  static final Object END = new Object();

  final StageSpec spec;
  final StageCounters counters;
  final RunControl run;
  final HandOffQueue input;
  final @Nullable Emitter downstream;
  private final AtomicInteger working;

  Stage(RunControl run, StageSpec spec, StageCounters counters, @Nullable Emitter downstream) {
    this.run = run;
    this.spec = spec;
    this.counters = counters;
    this.downstream = downstream;
    this.input = new HandOffQueue(spec.capacity);
    this.working = new AtomicInteger(spec.workers);
  }

  /** Accepts an item from the stage before: waits for room, or drops it when told to. */
  final void offer(Envelope envelope) throws InterruptedException {
    if (spec.overflow == Overflow.DROP) {
      if (!input.offer(envelope)) {
        counters.dropped(envelope.items);
        run.ledger.dropped(envelope);
      }
    } else {
      input.put(envelope);
    }
  }

  /**
   * Accepts a group of items (the first {@code n} of {@code group}) from a stage that hands items
   * on in groups, and clears them from the array for its next group: waits for room, never drops
   * (only stages that block on overflow are given groups). One lock and at most one wake-up per
   * group.
   */
  final void offerAll(Envelope[] group, int n) throws InterruptedException {
    if (n > 0) {
      input.putAll(group, n);
      Arrays.fill(group, 0, n, null);
    }
  }

  /** Tells whether this stage takes groups: it blocks rather than drops on overflow. */
  final boolean takesGroups() {
    return spec.overflow == Overflow.BLOCK;
  }

  /** Marks the end of input; waits for room even when the stage drops items. */
  final void end() throws InterruptedException {
    input.put(END);
  }

  /** Creates and registers this stage's threads with the run; they start with the run. */
  final void createThreads(ThreadFactory threads) {
    for (int i = 0; i < spec.workers; i++) {
      run.register(threads.newThread(this::workAndExit));
    }
  }

  private void workAndExit() {
    try {
      work();
      if (working.decrementAndGet() == 0 && downstream != null) {
        downstream.end();
      }
    } catch (InterruptedException e) {
      // cancelled or failed elsewhere: abandon the item in hand
    } catch (PipelineException e) {
      run.fail(e);
    } catch (RuntimeException | Error e) {
      log.error("Pipeline '{}', {} broke", run.pipeline, spec, e);
      run.fail(new PipelineException(run.pipeline, spec.name, "unexpected failure: " + e, e));
    } finally {
      run.exited();
    }
  }

  /** Works items until it takes the end marker (then puts it back and returns). */
  abstract void work() throws InterruptedException;

  /**
   * Takes the next input, first polling briefly: while the stage before is producing, the next item
   * is usually there within a few hundred nanoseconds, and catching it saves the park and unpark
   * (two system calls) that a blocking take costs when a hand-off finds the queue empty.
   */
  final Object takeSoon() throws InterruptedException {
    for (int spin = 0; spin < SPINS; spin++) {
      Object taken = input.poll();
      if (taken != null) {
        return taken;
      }
      Thread.onSpinWait();
    }
    return input.take();
  }

  /** Puts the end marker back for a sibling worker. */
  final void passEndToSibling() throws InterruptedException {
    input.put(END);
  }

  final StageProgress snapshot(long now) {
    return counters.snapshot(
        spec.name, spec.workers, spec.kind == StageSpec.Kind.BATCH, queued(), spec.capacity, now);
  }

  private int queued() {
    int size = input.size();
    return input.contains(END) ? size - 1 : size;
  }
}
