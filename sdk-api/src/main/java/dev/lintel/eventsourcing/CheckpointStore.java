package dev.lintel.eventsourcing;

/** Remembers, per projection, the position of the last event it has processed. Thread-safe. */
public interface CheckpointStore {

  /**
   * Reads a projection's checkpoint.
   *
   * @param projection the projection's name
   * @return the position of the last event processed, 0 if none
   */
  long load(String projection);

  /**
   * Stores a projection's checkpoint.
   *
   * @param projection the projection's name
   * @param position the position of the last event processed; 0 to start over
   */
  void save(String projection, long position);
}
