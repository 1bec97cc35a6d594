package dev.lintel.pipeline;

import java.time.Duration;
import java.util.Objects;

/**
 * One stage's counts at the time of a report. Counts are in source items (a batch of 100 counts
 * 100), so they add up across stages.
 *
 * @param name the stage's name
 * @param workers the threads working the stage (0 for a step fused into the stage before it)
 * @param in items that entered the stage
 * @param out items the stage passed on (for the sink: items it accepted)
 * @param failures failed attempts, retried ones included
 * @param skipped items the stage skipped
 * @param deadLettered items the stage dead-lettered
 * @param dropped items dropped because the stage's input was full
 * @param queued items waiting in the stage's input
 * @param capacity the size of the stage's input (0 for a fused step)
 * @param busy workers working on an item right now
 * @param sinceProgress how long since the stage last finished an item (or since the start)
 */
public record StageProgress(
    String name,
    int workers,
    long in,
    long out,
    long failures,
    long skipped,
    long deadLettered,
    long dropped,
    int queued,
    int capacity,
    int busy,
    Duration sinceProgress) {

  /**
   * Validates the components.
   *
   * @param name the stage's name
   * @param workers the threads
   * @param in items in
   * @param out items out
   * @param failures failed attempts
   * @param skipped items skipped
   * @param deadLettered items dead-lettered
   * @param dropped items dropped
   * @param queued items waiting
   * @param capacity the input's size
   * @param busy busy workers
   * @param sinceProgress time since the last finished item
   */
  public StageProgress {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sinceProgress, "sinceProgress");
  }

  /**
   * Tells whether items are waiting in or being worked on by this stage.
   *
   * @return true if the stage has queued items or busy workers
   */
  public boolean hasWork() {
    return queued > 0 || busy > 0;
  }
}
