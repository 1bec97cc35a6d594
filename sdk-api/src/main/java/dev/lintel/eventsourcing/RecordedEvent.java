package dev.lintel.eventsourcing;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An event as stored: where it is in its stream ({@code version}, from 1) and in the global order
 * ({@code position}, from 1, increasing in commit order), with its type name, data and metadata.
 *
 * @param eventId the id it was appended with
 * @param stream the stream it belongs to
 * @param version its version within the stream
 * @param position its position in the global order
 * @param type the stable type name its data was stored under (after upcasting)
 * @param data the domain event, deserialized
 * @param metadata its metadata
 * @param timestamp when it was appended
 */
public record RecordedEvent(
    UUID eventId,
    String stream,
    long version,
    long position,
    String type,
    Object data,
    Map<String, String> metadata,
    Instant timestamp) {

  /**
   * Validates and copies the components.
   *
   * @param eventId the id
   * @param stream the stream
   * @param version the version
   * @param position the position
   * @param type the type name
   * @param data the data
   * @param metadata the metadata
   * @param timestamp the timestamp
   */
  public RecordedEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(data, "data");
    metadata = Map.copyOf(metadata);
    Objects.requireNonNull(timestamp, "timestamp");
  }

  /**
   * Reads the correlation id from the metadata.
   *
   * @return the correlation id, or null if none was recorded
   */
  public @Nullable String correlationId() {
    return metadata.get(NewEvent.CORRELATION_ID);
  }

  /**
   * Reads the causation id from the metadata.
   *
   * @return the causation id, or null if none was recorded
   */
  public @Nullable String causationId() {
    return metadata.get(NewEvent.CAUSATION_ID);
  }

  /**
   * Casts the data to the expected type.
   *
   * @param type the expected class
   * @param <T> the type
   * @return the data
   * @throws ClassCastException if the data is of another type
   */
  public <T> T dataAs(Class<T> type) {
    return type.cast(data);
  }
}
