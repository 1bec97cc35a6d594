package dev.lintel.core.eventsourcing;

import dev.lintel.eventsourcing.AppendResult;
import dev.lintel.eventsourcing.EventStore;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.RecordedEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The embedded default {@link EventStore}: events kept in memory, serialized as they would be in a
 * database so that type registration, size limits and upcasting behave the same. Appends are
 * serialized by a write lock, so positions are dense and in commit order; reads run concurrently.
 * Everything is lost when the process ends.
 */
public final class InMemoryEventStore extends AbstractEventStore {
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final List<StoredEvent> all = new ArrayList<>();
  private final Map<String, List<StoredEvent>> streams = new HashMap<>();
  private final Map<UUID, StoredEvent> byId = new HashMap<>();

  private InMemoryEventStore(Settings settings) {
    super(settings);
  }

  /**
   * Creates an empty store.
   *
   * @param serializer turns events into JSON and back
   * @return the store
   */
  public static InMemoryEventStore create(EventSerializer serializer) {
    return create(Settings.defaults(serializer));
  }

  /**
   * Creates an empty store with custom settings.
   *
   * @param settings the serializer, limits, time source and polling interval
   * @return the store
   */
  public static InMemoryEventStore create(Settings settings) {
    return new InMemoryEventStore(settings);
  }

  @Override
  protected AppendResult write(
      String stream, ExpectedVersion expected, List<PendingEvent> events, Instant timestamp)
      throws AppendConflict {
    lock.writeLock().lock();
    try {
      List<StoredEvent> existing = streams.getOrDefault(stream, List.of());
      long version = existing.size();
      if (!expected.isSatisfiedBy(version)) {
        throw AppendConflict.versionMismatch(version);
      }
      for (PendingEvent event : events) {
        if (byId.containsKey(event.eventId())) {
          throw AppendConflict.duplicateEventId();
        }
      }
      List<StoredEvent> target = streams.computeIfAbsent(stream, key -> new ArrayList<>());
      long first = all.size() + 1L;
      for (int i = 0; i < events.size(); i++) {
        PendingEvent event = events.get(i);
        StoredEvent stored =
            new StoredEvent(
                event.eventId(),
                stream,
                ++version,
                all.size() + 1L,
                event.type(),
                event.json(),
                event.metadata(),
                timestamp,
                i,
                events.size());
        all.add(stored);
        target.add(stored);
        byId.put(stored.eventId(), stored);
      }
      return new AppendResult(stream, version, first, all.size());
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  protected List<RecordedEvent> fetchStream(String stream, long fromVersion, int max) {
    List<StoredEvent> stored;
    lock.readLock().lock();
    try {
      stored = slice(streams.getOrDefault(stream, List.of()), fromVersion - 1, max);
    } finally {
      lock.readLock().unlock();
    }
    return deserializeAll(stored);
  }

  @Override
  protected List<RecordedEvent> fetchAll(long fromPosition, int max) {
    List<StoredEvent> stored;
    lock.readLock().lock();
    try {
      stored = slice(all, fromPosition - 1, max);
    } finally {
      lock.readLock().unlock();
    }
    return deserializeAll(stored);
  }

  @Override
  protected List<StoredEvent> fetchByIds(Set<UUID> eventIds) {
    lock.readLock().lock();
    try {
      List<StoredEvent> found = new ArrayList<>();
      for (UUID id : eventIds) {
        StoredEvent event = byId.get(id);
        if (event != null) {
          found.add(event);
        }
      }
      return found;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  protected long fetchStreamVersion(String stream) {
    lock.readLock().lock();
    try {
      return streams.getOrDefault(stream, List.of()).size();
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public long lastPosition() {
    lock.readLock().lock();
    try {
      return all.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Deserializes outside the lock: readers of other threads and writers do not wait for it. */
  private List<RecordedEvent> deserializeAll(List<StoredEvent> stored) {
    List<RecordedEvent> events = new ArrayList<>(stored.size());
    for (StoredEvent event : stored) {
      events.add(deserialize(event));
    }
    return events;
  }

  private static List<StoredEvent> slice(List<StoredEvent> events, long from, int max) {
    if (from >= events.size()) {
      return List.of();
    }
    int start = (int) from;
    return List.copyOf(events.subList(start, (int) Math.min(events.size(), start + (long) max)));
  }
}
