package dev.lintel.eventsourcing;

import java.util.Optional;

/**
 * Keeps the latest snapshot of each stream. Snapshots are an optimisation: losing one only makes
 * the next load replay more events. Thread-safe.
 */
public interface SnapshotStore {

  /**
   * Finds the latest snapshot of a stream.
   *
   * @param stream the stream
   * @return the snapshot, or empty if there is none (or it can no longer be read)
   */
  Optional<Snapshot> latest(String stream);

  /**
   * Stores a snapshot, replacing an older one of the same stream; a snapshot older than the stored
   * one may be ignored.
   *
   * @param snapshot the snapshot
   */
  void save(Snapshot snapshot);
}
