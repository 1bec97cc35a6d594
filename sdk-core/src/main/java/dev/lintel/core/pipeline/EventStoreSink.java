package dev.lintel.core.pipeline;

import dev.lintel.eventsourcing.EventStore;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.pipeline.Sink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Sinks that append items to an event store as events, with {@link ExpectedVersion#any()}. Appends
 * are idempotent by event id, so an item redelivered after a restart (pipelines deliver at least
 * once) is not appended twice when its event id is derived from the item, for example {@code
 * UUID.nameUUIDFromBytes(order.id().getBytes(UTF_8))}: exactly-once effects.
 */
public final class EventStoreSink {
  private EventStoreSink() {}

  /**
   * Appends each item as one event to the stream the item names.
   *
   * @param store the event store
   * @param streamOf the stream of an item
   * @param eventOf the event for an item
   * @param <T> the item type
   * @return the sink
   */
  public static <T> Sink<T> appending(
      EventStore store,
      Function<? super T, String> streamOf,
      Function<? super T, NewEvent> eventOf) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(streamOf, "streamOf");
    Objects.requireNonNull(eventOf, "eventOf");
    return item ->
        store.append(streamOf.apply(item), ExpectedVersion.any(), List.of(eventOf.apply(item)));
  }

  /**
   * Appends a batch of items with one append per stream, the events of a stream in batch order.
   *
   * @param store the event store
   * @param streamOf the stream of an item
   * @param eventOf the event for an item
   * @param <T> the item type
   * @return the sink of batches
   */
  public static <T> Sink<List<T>> appendingBatches(
      EventStore store,
      Function<? super T, String> streamOf,
      Function<? super T, NewEvent> eventOf) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(streamOf, "streamOf");
    Objects.requireNonNull(eventOf, "eventOf");
    return batch -> {
      Map<String, List<NewEvent>> byStream = new LinkedHashMap<>();
      for (T item : batch) {
        byStream
            .computeIfAbsent(streamOf.apply(item), s -> new ArrayList<>())
            .add(eventOf.apply(item));
      }
      byStream.forEach((stream, events) -> store.append(stream, ExpectedVersion.any(), events));
    };
  }
}
