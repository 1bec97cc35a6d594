package dev.lintel.eventsourcing;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An event to append: its id, which makes appends idempotent, the domain event itself, and metadata
 * (string keys and values, such as correlation and causation ids).
 *
 * @param eventId a unique id; appending an event whose id is already stored is a retry, not a copy
 * @param data the domain event, serialized by the store's serializer
 * @param metadata string metadata, stored with the event
 */
public record NewEvent(UUID eventId, Object data, Map<String, String> metadata) {
  /** The metadata key of the id of the request or message that started this chain of work. */
  public static final String CORRELATION_ID = "correlationId";

  /** The metadata key of the id of the message that directly caused this event. */
  public static final String CAUSATION_ID = "causationId";

  /**
   * Validates and copies the components.
   *
   * @param eventId the id
   * @param data the domain event
   * @param metadata the metadata
   */
  public NewEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(data, "data");
    metadata = Map.copyOf(metadata);
  }

  /**
   * Wraps a domain event with a random id and no metadata.
   *
   * @param data the domain event
   * @return the new event
   */
  public static NewEvent of(Object data) {
    return new NewEvent(UUID.randomUUID(), data, Map.of());
  }

  /**
   * Returns a copy with one more metadata entry.
   *
   * @param key the key
   * @param value the value
   * @return the copy
   */
  public NewEvent withMetadata(String key, String value) {
    Map<String, String> copy = new HashMap<>(metadata);
    copy.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return new NewEvent(eventId, data, copy);
  }

  /**
   * Returns a copy carrying the correlation and causation ids of the message that caused it.
   *
   * @param correlationId the id of the chain of work
   * @param causationId the id of the direct cause
   * @return the copy
   */
  public NewEvent causedBy(String correlationId, String causationId) {
    return withMetadata(CORRELATION_ID, correlationId).withMetadata(CAUSATION_ID, causationId);
  }
}
