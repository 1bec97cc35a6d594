package dev.lintel.pipeline;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a stage does when its function or sink throws for an item: retry it a limited number of
 * times with a doubling backoff, then either fail the pipeline, skip the item, or hand it to a
 * dead-letter sink. Every outcome is counted; nothing is dropped silently. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * ErrorPolicy.deadLetter(deadLetters).withRetries(3, Duration.ofMillis(100))
 * }</pre>
 *
 * <p>The default of every stage is {@link #fail()} without retries. A retried item keeps its worker
 * (and its place in an ordered stage) while it waits for its backoff. Items a source reported as
 * {@link InvalidItemException invalid} are never retried.
 */
public final class ErrorPolicy {
  /** Cap of the doubling backoff unless {@link #withMaxBackoff(Duration)} says otherwise. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

  private static final ErrorPolicy FAIL =
      new ErrorPolicy(Outcome.FAIL, 1, Duration.ZERO, DEFAULT_MAX_BACKOFF, null);
  private static final ErrorPolicy SKIP =
      new ErrorPolicy(Outcome.SKIP, 1, Duration.ZERO, DEFAULT_MAX_BACKOFF, null);

  /** What happens to an item once its attempts are used up. */
  public enum Outcome {
    /** The pipeline fails with a {@link PipelineException}; items in flight are abandoned. */
    FAIL,
    /** The item is counted as skipped and logged at WARN with its key and the error. */
    SKIP,
    /** The item goes to the dead-letter sink with the error and the attempt count. */
    DEAD_LETTER
  }

  private final Outcome outcome;
  private final int maxAttempts;
  private final Duration backoff;
  private final Duration maxBackoff;
  private final @Nullable Sink<DeadLetter> deadLetters;

  private ErrorPolicy(
      Outcome outcome,
      int maxAttempts,
      Duration backoff,
      Duration maxBackoff,
      @Nullable Sink<DeadLetter> deadLetters) {
    this.outcome = outcome;
    this.maxAttempts = maxAttempts;
    this.backoff = backoff;
    this.maxBackoff = maxBackoff;
    this.deadLetters = deadLetters;
  }

  /**
   * Fails the pipeline on the first error: the default.
   *
   * @return the policy
   */
  public static ErrorPolicy fail() {
    return FAIL;
  }

  /**
   * Skips a failed item, counting it and logging its key and error at WARN.
   *
   * @return the policy
   */
  public static ErrorPolicy skip() {
    return SKIP;
  }

  /**
   * Hands a failed item to a sink with the error and the attempt count. If the dead-letter sink
   * itself throws, the pipeline fails: an item is never lost on the way to its dead letter.
   *
   * @param sink the dead-letter sink, for example a file, a table or a stream
   * @return the policy
   */
  public static ErrorPolicy deadLetter(Sink<DeadLetter> sink) {
    return new ErrorPolicy(
        Outcome.DEAD_LETTER, 1, Duration.ZERO, DEFAULT_MAX_BACKOFF, Objects.requireNonNull(sink));
  }

  /**
   * Retries, then fails the pipeline: shorthand for {@code fail().withRetries(maxAttempts,
   * backoff)}.
   *
   * @param maxAttempts the attempts in all, at least 1
   * @param backoff the wait before the second attempt; it doubles for each further one
   * @return the policy
   * @throws IllegalArgumentException if {@code maxAttempts} is less than 1 or the backoff negative
   */
  public static ErrorPolicy retry(int maxAttempts, Duration backoff) {
    return FAIL.withRetries(maxAttempts, backoff);
  }

  /**
   * Derives a policy that tries an item up to {@code maxAttempts} times before its outcome, waiting
   * {@code backoff}, then twice that, and so on, capped at the maximum backoff.
   *
   * @param maxAttempts the attempts in all, at least 1 (1 means no retry)
   * @param backoff the wait before the second attempt, zero or more
   * @return a new policy with the same outcome
   * @throws IllegalArgumentException if {@code maxAttempts} is less than 1 or the backoff negative
   */
  public ErrorPolicy withRetries(int maxAttempts, Duration backoff) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1 but was " + maxAttempts);
    }
    Objects.requireNonNull(backoff, "backoff");
    if (backoff.isNegative()) {
      throw new IllegalArgumentException("backoff must not be negative but was " + backoff);
    }
    return new ErrorPolicy(outcome, maxAttempts, backoff, maxBackoff, deadLetters);
  }

  /**
   * Derives a policy whose doubling backoff never waits longer than {@code max}.
   *
   * @param max the longest wait between two attempts
   * @return a new policy
   * @throws IllegalArgumentException if {@code max} is negative
   */
  public ErrorPolicy withMaxBackoff(Duration max) {
    Objects.requireNonNull(max, "max");
    if (max.isNegative()) {
      throw new IllegalArgumentException("maxBackoff must not be negative but was " + max);
    }
    return new ErrorPolicy(outcome, maxAttempts, backoff, max, deadLetters);
  }

  /**
   * Tells what happens once the attempts are used up.
   *
   * @return the outcome
   */
  public Outcome outcome() {
    return outcome;
  }

  /**
   * Tells how many times an item is tried in all.
   *
   * @return at least 1
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Tells how long to wait after a failed attempt.
   *
   * @param failedAttempt the number of the attempt that failed, from 1
   * @return the backoff before the next attempt: the initial backoff doubled per earlier retry,
   *     capped at the maximum backoff
   */
  public Duration backoffAfter(int failedAttempt) {
    if (backoff.isZero()) {
      return Duration.ZERO;
    }
    int doublings = Math.min(Math.max(failedAttempt - 1, 0), 30);
    long nanos = backoff.toNanos();
    long scaled = nanos > (Long.MAX_VALUE >> doublings) ? Long.MAX_VALUE : nanos << doublings;
    return scaled > maxBackoff.toNanos() ? maxBackoff : Duration.ofNanos(scaled);
  }

  /**
   * Gives the dead-letter sink.
   *
   * @return the sink for {@link Outcome#DEAD_LETTER}, otherwise null
   */
  public @Nullable Sink<DeadLetter> deadLetters() {
    return deadLetters;
  }

  @Override
  public String toString() {
    return outcome
        + (maxAttempts > 1 ? " after " + maxAttempts + " attempts (backoff " + backoff + ")" : "");
  }
}
