package dev.lintel.pipeline;

/** The stages of a pipeline's life, in order; the last three are final. */
public enum PipelineState {
  /** Built, not started. */
  CREATED,
  /** Reading and processing. */
  RUNNING,
  /** Closed while running: no more reading, items in flight finish, partial batches flush. */
  DRAINING,
  /** Every item read was processed, skipped, dead-lettered or dropped. */
  COMPLETED,
  /** Stopped on an error a stage's policy did not absorb; items in flight were abandoned. */
  FAILED,
  /** Cancelled, or its drain ran out of time; items in flight were abandoned. */
  CANCELLED;

  /**
   * Tells whether this state is final.
   *
   * @return true for {@link #COMPLETED}, {@link #FAILED} and {@link #CANCELLED}
   */
  public boolean isFinal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }
}
