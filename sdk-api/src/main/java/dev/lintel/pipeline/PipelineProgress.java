package dev.lintel.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A pipeline's counts at one moment: what it read, where every item ended, its rate and, when the
 * source knows its length, the estimated time left. Counts are read without stopping the pipeline,
 * so while it runs they are a close but not atomic picture; once its state is final they are exact
 * and {@link #balanced()} holds for a {@link PipelineState#COMPLETED} pipeline.
 *
 * @param pipeline the pipeline's name
 * @param state the pipeline's state
 * @param read items read from the source (invalid ones included)
 * @param processed items the sink accepted
 * @param skipped items skipped by an error policy
 * @param deadLettered items handed to a dead-letter sink
 * @param dropped items dropped because a stage's input was full (only with {@link Overflow#DROP})
 * @param elapsed time since the start
 * @param itemsPerSecond items finished (processed, skipped, dead-lettered or dropped) per second
 *     since the start
 * @param eta the estimated time until the source is read, or null when its length is unknown
 * @param stages each stage's counts, in pipeline order, the source first
 */
public record PipelineProgress(
    String pipeline,
    PipelineState state,
    long read,
    long processed,
    long skipped,
    long deadLettered,
    long dropped,
    Duration elapsed,
    double itemsPerSecond,
    @Nullable Duration eta,
    List<StageProgress> stages) {

  /**
   * Validates and copies the components.
   *
   * @param pipeline the pipeline's name
   * @param state the state
   * @param read items read
   * @param processed items processed
   * @param skipped items skipped
   * @param deadLettered items dead-lettered
   * @param dropped items dropped
   * @param elapsed time since the start
   * @param itemsPerSecond finishing rate
   * @param eta estimated time left, may be null
   * @param stages the stages
   */
  public PipelineProgress {
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(elapsed, "elapsed");
    stages = List.copyOf(stages);
  }

  /**
   * Counts the items read but not finished yet.
   *
   * @return {@code read - processed - skipped - deadLettered - dropped}
   */
  public long inFlight() {
    return read - processed - skipped - deadLettered - dropped;
  }

  /**
   * Tells whether every item read has ended somewhere.
   *
   * @return true if {@code processed + skipped + deadLettered + dropped == read}
   */
  public boolean balanced() {
    return inFlight() == 0;
  }
}
