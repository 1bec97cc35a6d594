package dev.lintel.eventsourcing;

import java.util.concurrent.ConcurrentHashMap;

/** Keeps projection checkpoints in memory. Thread-safe. */
public final class InMemoryCheckpointStore implements CheckpointStore {
  private final ConcurrentHashMap<String, Long> checkpoints = new ConcurrentHashMap<>();

  @Override
  public long load(String projection) {
    return checkpoints.getOrDefault(projection, 0L);
  }

  @Override
  public void save(String projection, long position) {
    checkpoints.put(projection, position);
  }
}
