package dev.lintel.pipeline;

import java.time.Instant;
import java.util.Objects;

/**
 * An item a stage gave up on, handed to the stage's dead-letter sink with why and after how many
 * attempts. For a batching stage's sink the item is the whole batch (a {@code List}).
 *
 * @param pipeline the pipeline's name
 * @param stage the stage's name
 * @param key the item's key (the pipeline's key function, or its read number {@code #n}); for a
 *     batch, the keys of its items separated by commas
 * @param item the item as the stage received it, or the raw form an {@link InvalidItemException}
 *     carried
 * @param error the last error
 * @param attempts how many times the stage tried the item (1 without retries)
 * @param at when the stage gave up
 */
public record DeadLetter(
    String pipeline,
    String stage,
    String key,
    Object item,
    Throwable error,
    int attempts,
    Instant at) {

  /**
   * Validates the components.
   *
   * @param pipeline the pipeline's name
   * @param stage the stage's name
   * @param key the item's key
   * @param item the item
   * @param error the last error
   * @param attempts the number of attempts, at least 1
   * @param at when the stage gave up
   * @throws IllegalArgumentException if {@code attempts} is less than 1
   */
  public DeadLetter {
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(at, "at");
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1 but was " + attempts);
    }
  }
}
