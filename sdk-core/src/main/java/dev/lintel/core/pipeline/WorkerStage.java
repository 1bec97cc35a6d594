package dev.lintel.core.pipeline;

import dev.lintel.pipeline.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A stage whose workers take items from its input and apply a step ({@code mapAsync}, {@code
 * parallel}) or a sink, under the stage's error policy; in order through a {@link ReorderWindow}
 * when the stage is ordered.
 *
 * <p>An unordered CPU or sink worker takes what is waiting in one go: up to a quarter of the input
 * divided among the workers (at most 64 items), and never more than its share of the items waiting
 * at that moment, so no sibling is left idle. A busy boundary then costs one lock per group of
 * items rather than per item, while an idle one still hands over each item at once. Such a worker
 * (of a step, not a sink) also hands the group's results on together when the group is done, so the
 * next stage's workers are woken once per group, not per result; a result so waits at most for the
 * rest of its group. An I/O ({@code mapAsync}) worker takes one item at a time, so no worker sits
 * on items another could start.
 */
final class WorkerStage extends Stage {
  private static final int MAX_GRAB = 64;

  private final Attempts attempts;
  private final Attempts.Action action;
  private final boolean isSink;
  private final @Nullable ReorderWindow window;
  private final int grab;
  private final boolean groupsResults; // an unordered step's results go on per group taken

  WorkerStage(
      RunControl run, StageSpec spec, StageCounters counters, @Nullable Emitter downstream) {
    super(run, spec, counters, downstream);
    this.attempts = new Attempts(run, spec, counters);
    this.isSink = spec.kind == StageSpec.Kind.SINK;
    if (isSink) {
      StageSpec.SinkCall sink = Objects.requireNonNull(spec.sink);
      this.action = envelope -> sink.accept(envelope.value(), envelope.end);
    } else {
      Step<Object, Object> step = Objects.requireNonNull(spec.step);
      this.action =
          envelope -> envelope.value = Results.notNull(step.apply(envelope.value()), spec);
    }
    this.window =
        spec.window > 0 && downstream != null
            ? new ReorderWindow(spec.window, downstream, counters)
            : null;
    this.grab = grab(spec);
    this.groupsResults = !isSink && window == null && grab > 1 && downstream.next().takesGroups();
  }

  /**
   * How many items a worker takes in one go: its share of a quarter of the input, 1 to 64. A stage
   * so holds at most its input, a quarter more taken by its workers, and one item per worker.
   */
  static int grab(StageSpec spec) {
    if (spec.kind == StageSpec.Kind.ASYNC) {
      return 1; // an I/O worker holding items another worker could start would cut concurrency
    }
    return Math.max(1, Math.min(MAX_GRAB, spec.capacity / (4 * spec.workers)));
  }

  @Override
  void work() throws InterruptedException {
    if (window != null) {
      workInOrder(window);
      return;
    }
    List<Object> taken = new ArrayList<>(grab);
    Envelope @Nullable [] results = groupsResults ? new Envelope[grab] : null; // this worker's
    while (true) {
      taken.add(takeSoon());
      if (grab > 1) {
        // never more than this worker's share of what waits, so no sibling starves
        int extra = spec.workers == 1 ? grab - 1 : Math.min(grab - 1, input.size() / spec.workers);
        if (extra > 0) {
          input.drainTo(taken, extra);
        }
      }
      if (!workOn(taken, results)) {
        return;
      }
      taken.clear();
    }
  }

  /**
   * Works a group of items taken together, counting them once for the group: entered before, and
   * what passed (and, for a sink, what was processed) after, even when interrupted half-way.
   *
   * @return false once the end marker was met
   */
  private boolean workOn(List<Object> taken, Envelope @Nullable [] results)
      throws InterruptedException {
    int entering = 0;
    for (int i = 0; i < taken.size(); i++) {
      Object item = taken.get(i);
      if (item != END) {
        entering += ((Envelope) item).items;
      }
    }
    counters.entered(entering);
    long passed = 0;
    int held = 0;
    try {
      for (int i = 0; i < taken.size(); i++) {
        Object item = taken.get(i);
        if (item == END) {
          handOn(results, held); // the end marker is always the last item of the input
          held = 0;
          passEndToSibling();
          return false;
        }
        Envelope envelope = (Envelope) item;
        if (attempts.run(envelope, action)) {
          passed += envelope.items;
          if (isSink) {
            run.ledger.finishProcessed(envelope);
          } else if (results != null) {
            if (Objects.requireNonNull(downstream).applySteps(envelope)) {
              results[held++] = envelope;
            }
          } else {
            Objects.requireNonNull(downstream).emit(envelope);
          }
        }
      }
      handOn(results, held);
      held = 0;
      return true;
    } finally {
      counters.passed(passed);
      if (isSink) {
        run.ledger.countProcessed(passed);
      }
      if (held > 0) { // interrupted or failed half-way: the run is being torn down
        Arrays.fill(Objects.requireNonNull(results), 0, held, null);
      }
    }
  }

  /**
   * Hands on the results of a group in one go: one lock and at most one wake-up of the next stage
   * per group instead of per item (the next stage's workers would otherwise be woken for each
   * result of a CPU stage they are faster than).
   */
  private void handOn(Envelope @Nullable [] group, int held) throws InterruptedException {
    if (group != null) {
      Objects.requireNonNull(downstream).next().offerAll(group, held);
    }
  }

  private void workInOrder(ReorderWindow window) throws InterruptedException {
    long[] seq = new long[1];
    while (true) {
      Object taken = window.take(input, seq);
      if (taken == END) {
        passEndToSibling();
        return;
      }
      Envelope envelope = (Envelope) taken;
      counters.entered(envelope.items);
      boolean goOn = attempts.run(envelope, action);
      window.complete(seq[0], goOn ? envelope : null);
    }
  }
}
