package dev.lintel.core.pipeline;

import dev.lintel.pipeline.Step;
import java.util.Objects;

/**
 * A {@code map} step: it has no input or thread of its own but runs on the thread of the stage
 * before it, as that stage hands an item on, so it adds no buffer and no hand-off.
 */
final class FusedStep {
  private final StageSpec spec;
  private final Step<Object, Object> step;
  private final StageCounters counters;
  private final Attempts attempts;
  private final Attempts.Action action;

  FusedStep(RunControl run, StageSpec spec, StageCounters counters) {
    this.spec = spec;
    this.step = Objects.requireNonNull(spec.step);
    this.counters = counters;
    this.attempts = new Attempts(run, spec, counters);
    this.action = envelope -> envelope.value = applyTo(envelope.value());
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

  /**
   * Applies the step to a bare value, with no policy and no counting: the fast path of a caller
   * that counts items in bulk ({@link #passedInBulk}) and hands a failure to {@link #recover}.
   */
  Object applyTo(Object value) throws Exception {
    return Results.notNull(step.apply(value), spec);
  }

  /**
   * Goes on under the policy with an item whose first attempt at {@link #applyTo} failed, counting
   * it; false if it was skipped or dead-lettered.
   */
  boolean recover(Envelope envelope, Exception error) throws InterruptedException {
    counters.entered(envelope.items);
    boolean goOn = attempts.recover(envelope, action, error);
    if (goOn) {
      counters.passed(envelope.items);
    }
    return goOn;
  }

  /** Counts items that went through {@link #applyTo} without failing. */
  void passedInBulk(int items) {
    counters.entered(items);
    counters.passed(items);
  }
}
