package dev.lintel.core.eventsourcing;

import dev.lintel.eventsourcing.Snapshot;
import dev.lintel.eventsourcing.SnapshotStore;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the latest snapshot of each stream in memory, ignoring one older than the stored one.
 * Thread-safe. Snapshot states must be immutable, since they are kept by reference.
 */
public final class InMemorySnapshotStore implements SnapshotStore {
  private final ConcurrentHashMap<String, Snapshot> snapshots = new ConcurrentHashMap<>();

  /** Creates a store with no snapshots. */
  public InMemorySnapshotStore() {}

  @Override
  public Optional<Snapshot> latest(String stream) {
    return Optional.ofNullable(snapshots.get(stream));
  }

  @Override
  public void save(Snapshot snapshot) {
    snapshots.merge(
        snapshot.stream(),
        snapshot,
        (stored, offered) -> offered.version() > stored.version() ? offered : stored);
  }
}
