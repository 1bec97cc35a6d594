package dev.lintel.jdbc.eventsourcing;

import dev.lintel.core.eventsourcing.EventSerializer;
import dev.lintel.core.eventsourcing.SerializedEvents;
import dev.lintel.eventsourcing.RecordedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The rows of one page of a read, held until the page is complete so that their JSON can be
 * deserialized together ({@link EventSerializer#deserializeAll}). Reused from page to page of one
 * read; not thread-safe.
 */
final class EventPage {
  /** The columns {@link #text} remembers the last value of. */
  static final int STREAM = 0;

  static final int TYPE = 1;

  private final SerializedEvents json;
  private final byte[][] lastBytes = new byte[2][];
  private final String[] lastText = new String[2];
  private final UUID[] ids;
  private final long[] versions;
  private final Instant[] timestamps;
  private final List<Map<String, String>> metadata;

  EventPage(int capacity) {
    this.json = new SerializedEvents(capacity);
    this.ids = new UUID[capacity];
    this.versions = new long[capacity];
    this.timestamps = new Instant[capacity];
    this.metadata = new ArrayList<>(capacity);
  }

  /**
   * Decodes a UTF-8 column, reusing the previous row's string when the bytes are the same: events
   * appended together lie together in the global order, so runs of one stream and one type are
   * common, and a run then costs one string instead of one per row.
   */
  String text(int column, byte[] utf8) {
    if (Arrays.equals(utf8, lastBytes[column])) {
      return lastText[column];
    }
    String text = new String(utf8, StandardCharsets.UTF_8);
    lastBytes[column] = utf8;
    lastText[column] = text;
    return text;
  }

  /** Adds the columns of a row. */
  void add(
      UUID eventId,
      String stream,
      long version,
      long position,
      String type,
      byte[] data,
      Map<String, String> eventMetadata,
      Instant timestamp) {
    int index = json.size();
    json.add(type, data, stream, position);
    ids[index] = eventId;
    versions[index] = version;
    timestamps[index] = timestamp;
    metadata.add(eventMetadata);
  }

  /** The JSON of the page, for the serializer; its results are read back by {@link #drainTo}. */
  SerializedEvents json() {
    return json;
  }

  /** Appends the deserialized events to {@code events} and empties the page. */
  void drainTo(List<RecordedEvent> events) {
    for (int i = 0; i < json.size(); i++) {
      events.add(
          new RecordedEvent(
              ids[i],
              json.stream(i),
              versions[i],
              json.position(i),
              json.resultType(i),
              json.result(i),
              metadata.get(i),
              timestamps[i]));
    }
    clear();
  }

  void clear() {
    json.clear();
    metadata.clear();
  }
}
