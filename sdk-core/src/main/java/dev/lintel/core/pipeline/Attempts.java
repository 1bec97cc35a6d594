package dev.lintel.core.pipeline;

import dev.lintel.pipeline.DeadLetter;
import dev.lintel.pipeline.ErrorPolicy;
import dev.lintel.pipeline.InvalidItemException;
import dev.lintel.pipeline.PipelineException;
import dev.lintel.pipeline.Sink;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one stage's {@link ErrorPolicy} to an item: tries it, retries with backoff, then fails
 * the pipeline, skips the item or dead-letters it, keeping the counts.
 */
final class Attempts {
  private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

  /** The work a stage does with an item: a step (replacing its value) or a sink. */
  @FunctionalInterface
  interface Action {
    void run(Envelope envelope) throws Exception;
  }

  private final RunControl run;
  private final StageSpec spec;
  private final StageCounters counters;

  Attempts(RunControl run, StageSpec spec, StageCounters counters) {
    this.run = run;
    this.spec = spec;
    this.counters = counters;
  }

  /**
   * Runs the action under the policy.
   *
   * @return true if the item goes on, false if it was skipped or dead-lettered
   * @throws PipelineException if the policy is to fail, or the dead-letter sink refused the item
   * @throws InterruptedException if the pipeline was cancelled meanwhile
   */
  boolean run(Envelope envelope, Action action) throws InterruptedException {
    try {
      action.run(envelope);
      return true;
    } catch (Exception e) {
      return recover(envelope, action, e);
    }
  }

  /**
   * Goes on under the policy after the action's first attempt failed with {@code error}: retries
   * while attempts remain, then gives up as the policy says.
   *
   * @return true if a retry succeeded, false if the item was skipped or dead-lettered
   * @throws PipelineException if the policy is to fail, or the dead-letter sink refused the item
   * @throws InterruptedException if the pipeline was cancelled meanwhile
   */
  boolean recover(Envelope envelope, Action action, Exception error) throws InterruptedException {
    ErrorPolicy policy = spec.policy;
    Exception failure = error;
    for (int attempt = 1; ; attempt++) {
      if (run.aborted()) {
        throw new InterruptedException("pipeline '" + run.pipeline + "' is stopping");
      }
      counters.failure();
      if (attempt >= policy.maxAttempts()) {
        return giveUp(envelope, envelope.key(run.keyOf), envelope.value(), failure, attempt);
      }
      Duration backoff = policy.backoffAfter(attempt);
      log.debug(
          "Pipeline '{}', stage '{}': item {} failed (attempt {} of {}), retrying in {} ms: {}",
          run.pipeline,
          spec.name,
          envelope.key(run.keyOf),
          attempt,
          policy.maxAttempts(),
          backoff.toMillis(),
          failure.toString());
      if (!backoff.isZero()) {
        TimeUnit.NANOSECONDS.sleep(backoff.toNanos());
      }
      try {
        action.run(envelope);
        return true;
      } catch (Exception e) {
        failure = e;
      }
    }
  }

  /** A source's invalid item: never retried, straight to the policy's outcome. */
  boolean invalid(Envelope envelope, InvalidItemException error) throws InterruptedException {
    counters.failure();
    return giveUp(envelope, error.key(), error.raw(), error, 1);
  }

  private boolean giveUp(Envelope envelope, String key, Object item, Exception error, int attempts)
      throws InterruptedException {
    switch (spec.policy.outcome()) {
      case SKIP -> {
        if (log.isDebugEnabled()) {
          log.debug(
              "Pipeline '{}', stage '{}': skipped item {}", run.pipeline, spec.name, key, error);
        } else {
          log.warn(
              "Pipeline '{}', stage '{}': skipped item {} after {} attempt(s): {}",
              run.pipeline,
              spec.name,
              key,
              attempts,
              error.toString());
        }
        counters.skipped(envelope.items);
        run.ledger.skipped(envelope);
        return false;
      }
      case DEAD_LETTER -> {
        Sink<DeadLetter> deadLetters = spec.policy.deadLetters();
        DeadLetter letter =
            new DeadLetter(run.pipeline, spec.name, key, item, error, attempts, run.time.now());
        try {
          if (deadLetters == null) {
            throw new IllegalStateException("no dead-letter sink");
          }
          deadLetters.accept(letter);
        } catch (InterruptedException e) {
          throw e;
        } catch (Exception e) {
          e.addSuppressed(error);
          throw new PipelineException(
              run.pipeline, spec.name, "the dead-letter sink refused item " + key, e);
        }
        log.debug("Pipeline '{}', stage '{}': dead-lettered item {}", run.pipeline, spec.name, key);
        counters.deadLettered(envelope.items);
        run.ledger.deadLettered(envelope);
        return false;
      }
      default ->
          throw new PipelineException(
              run.pipeline,
              spec.name,
              "item " + key + " failed after " + attempts + " attempt(s): " + error,
              error);
    }
  }
}
