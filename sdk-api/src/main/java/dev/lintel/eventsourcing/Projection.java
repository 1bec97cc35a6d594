package dev.lintel.eventsourcing;

/**
 * Builds a read model from events, fed in global order by a projection runner from a stored
 * checkpoint. Delivery is at least once: after a crash the events since the last checkpoint are
 * delivered again, so {@link #handle} must be idempotent, unless the projection stores its own
 * checkpoint in the same transaction as its read model ({@link #storesCheckpoint()}), which makes
 * the effect exactly once.
 */
public interface Projection {

  /**
   * Names the projection; its checkpoint is stored under this name.
   *
   * @return a stable name
   */
  String name();

  /**
   * Applies one event to the read model.
   *
   * @param event the event
   * @throws Exception to stop the projection at this event; it resumes here after a restart
   */
  void handle(RecordedEvent event) throws Exception;

  /**
   * Clears the read model before a replay from the start.
   *
   * @throws Exception if it cannot be cleared; the replay does not start
   */
  default void reset() throws Exception {}

  /**
   * Tells whether {@link #handle} stores the checkpoint itself, in the same transaction as the read
   * model; the runner then does not store it after each event.
   *
   * @return true for transactional projections
   */
  default boolean storesCheckpoint() {
    return false;
  }
}
