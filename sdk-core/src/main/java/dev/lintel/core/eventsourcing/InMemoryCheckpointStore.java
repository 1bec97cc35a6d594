package dev.lintel.core.eventsourcing;

import dev.lintel.eventsourcing.CheckpointStore;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps projection checkpoints in memory. Thread-safe. */
public final class InMemoryCheckpointStore implements CheckpointStore {
  private final ConcurrentHashMap<String, Long> checkpoints = new ConcurrentHashMap<>();

  /** Creates a store with no checkpoints. */
  public InMemoryCheckpointStore() {}

  @Override
  public long load(String projection) {
    return checkpoints.getOrDefault(projection, 0L);
  }

  @Override
  public void save(String projection, long position) {
    checkpoints.put(projection, position);
  }
}
