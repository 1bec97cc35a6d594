package dev.lintel.core.pipeline;

import dev.lintel.pipeline.Step;
import java.util.Objects;

/**
 * A {@code map} step: it has no input or thread of its own but runs on the thread of the stage
 * before it, as that stage hands an item on, so it adds no buffer and no hand-off.
 */
final class FusedStep {
  private final StageCounters counters;
  private final Attempts attempts;
  private final Attempts.Action action;

  FusedStep(RunControl run, StageSpec spec, StageCounters counters) {
    this.counters = counters;
    this.attempts = new Attempts(run, spec, counters);
    Step<Object, Object> step = Objects.requireNonNull(spec.step);
    this.action = envelope -> envelope.value = Results.notNull(step.apply(envelope.value()), spec);
  }

  /** Applies the step; false if the item was skipped or dead-lettered. */
  boolean apply(Envelope envelope) throws InterruptedException {
    counters.entered(envelope.items);
    boolean goOn = attempts.run(envelope, action);
    if (goOn) {
      counters.passed(envelope.items);
    }
    return goOn;
  }
}
