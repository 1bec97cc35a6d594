package dev.lintel.core.pipeline;

/**
 * How a stage hands an item on: through the {@code map} steps fused after it, then into the next
 * stage's bounded input.
 */
final class Emitter {
  private final FusedStep[] steps;
  private final Stage next;

  Emitter(FusedStep[] steps, Stage next) {
    this.steps = steps.clone();
    this.next = next;
  }

  /** Passes the item on, blocking while the next input is full (unless it drops). */
  void emit(Envelope envelope) throws InterruptedException {
    if (applySteps(envelope)) {
      next.offer(envelope);
    }
  }

  /** Runs the fused steps; false if one skipped or dead-lettered the item. */
  boolean applySteps(Envelope envelope) throws InterruptedException {
    for (FusedStep step : steps) {
      if (!step.apply(envelope)) {
        return false;
      }
    }
    return true;
  }

  /** The fused steps, in order. */
  FusedStep[] steps() {
    return steps.clone();
  }

  /** The stage the items go to after the fused steps. */
  Stage next() {
    return next;
  }

  /** Tells the next stage that nothing more comes. */
  void end() throws InterruptedException {
    next.end();
  }
}
