package dev.lintel.core.eventsourcing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lintel.TimeSource;
import dev.lintel.eventsourcing.AppendResult;
import dev.lintel.eventsourcing.EventHandler;
import dev.lintel.eventsourcing.EventIdConflictException;
import dev.lintel.eventsourcing.EventStore;
import dev.lintel.eventsourcing.EventStoreException;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.eventsourcing.Subscription;
import dev.lintel.eventsourcing.UnknownEventTypeException;
import dev.lintel.eventsourcing.WrongExpectedVersionException;
import java.io.Serial;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The part of an {@link EventStore} that does not depend on where events are kept: argument checks,
 * serialization with a size limit, telling a retried append from a conflicting one, and polling
 * subscriptions. A storage implements the few {@code protected abstract} methods; the in-memory and
 * JDBC stores are built on it.
 *
 * <p>An implementation's {@link #write} must be atomic, must check the expected version, must throw
 * {@link AppendConflict} (and write nothing) on a version mismatch or an event id already stored,
 * and must assign positions that increase in commit order.
 */
public abstract class AbstractEventStore implements EventStore {
  private static final ObjectMapper METADATA = new ObjectMapper();
  private static final TypeReference<Map<String, String>> METADATA_TYPE = new TypeReference<>() {};
  private static final int MAX_NAME_LENGTH = 200;

  private final EventSerializer serializer;
  private final int maxEventBytes;
  private final TimeSource timeSource;
  private final Duration pollInterval;
  private final SubscriptionSignal signal = new SubscriptionSignal();

  /**
   * Creates the store's common part.
   *
   * @param settings the serializer, limits and polling interval
   */
  protected AbstractEventStore(Settings settings) {
    this.serializer = settings.serializer();
    this.maxEventBytes = settings.maxEventBytes();
    this.timeSource = settings.timeSource();
    this.pollInterval = settings.pollInterval();
  }

  @Override
  public final AppendResult append(String stream, ExpectedVersion expected, List<NewEvent> events) {
    return append(stream, expected, events, this::write);
  }

  /**
   * Appends through another writer than {@link #write}, for variants such as joining a caller's
   * transaction, with the same checks, serialization and conflict resolution.
   *
   * @param stream the stream id
   * @param expected the expected version
   * @param events the events
   * @param writer writes the serialized events atomically
   * @return the new version and the positions written
   */
  protected final AppendResult append(
      String stream, ExpectedVersion expected, List<NewEvent> events, Writer writer) {
    requireStreamId(stream);
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(events, "events");
    if (events.isEmpty()) {
      throw new IllegalArgumentException("Append to stream '" + stream + "' has no events");
    }
    List<PendingEvent> pending = serializeAll(stream, events);
    AppendResult result;
    try {
      result = writer.write(stream, expected, pending, timeSource.now());
    } catch (AppendConflict conflict) {
      return resolveConflict(stream, expected, pending, conflict);
    }
    signal.wake();
    return result;
  }

  @Override
  public final List<RecordedEvent> readStream(String stream, long fromVersion, int max) {
    requireStreamId(stream);
    if (fromVersion < 1) {
      throw new IllegalArgumentException("fromVersion must be at least 1 but was " + fromVersion);
    }
    requirePositiveMax(max);
    return fetchStream(stream, fromVersion, max);
  }

  @Override
  public final List<RecordedEvent> readAll(long fromPosition, int max) {
    if (fromPosition < 1) {
      throw new IllegalArgumentException("fromPosition must be at least 1 but was " + fromPosition);
    }
    requirePositiveMax(max);
    return fetchAll(fromPosition, max);
  }

  @Override
  public final long streamVersion(String stream) {
    requireStreamId(stream);
    return fetchStreamVersion(stream);
  }

  /**
   * Wakes this store's subscriptions to read at once instead of at their next poll: for a storage
   * that learns of events appended elsewhere (another instance, another process).
   */
  protected final void wakeSubscriptions() {
    signal.wake();
  }

  @Override
  public Subscription subscribeAll(long fromPosition, EventHandler handler) {
    if (fromPosition < 1) {
      throw new IllegalArgumentException("fromPosition must be at least 1 but was " + fromPosition);
    }
    Objects.requireNonNull(handler, "handler");
    return PollingSubscription.start(this, fromPosition, handler, signal, pollInterval);
  }

  /**
   * Writes serialized events atomically.
   *
   * @param stream the validated stream id
   * @param expected the expected version, to check inside the same transaction
   * @param events the serialized events
   * @param timestamp the time to record
   * @return the new version and the positions written
   * @throws AppendConflict on a version mismatch or an event id already stored; nothing written
   */
  protected abstract AppendResult write(
      String stream, ExpectedVersion expected, List<PendingEvent> events, Instant timestamp)
      throws AppendConflict;

  /**
   * Reads the events of a stream, each turned into a {@link RecordedEvent} by one of the {@code
   * deserialize} methods (ideally as it is read, so that the stored form is never held for a whole
   * page).
   *
   * @param stream the stream id
   * @param fromVersion the first version, from 1
   * @param max the most to return
   * @return the events in version order
   */
  protected abstract List<RecordedEvent> fetchStream(String stream, long fromVersion, int max);

  /**
   * Reads events in global order, each turned into a {@link RecordedEvent} by one of the {@code
   * deserialize} methods.
   *
   * @param fromPosition the first position, from 1
   * @param max the most to return
   * @return committed events in position order
   */
  protected abstract List<RecordedEvent> fetchAll(long fromPosition, int max);

  /**
   * Finds stored events by id, in any order.
   *
   * @param eventIds the ids
   * @return the events among them that are stored
   */
  protected abstract List<StoredEvent> fetchByIds(Set<UUID> eventIds);

  /**
   * Reads a stream's version.
   *
   * @param stream the stream id
   * @return its version, 0 if it does not exist
   */
  protected abstract long fetchStreamVersion(String stream);

  /**
   * Encodes metadata as JSON text, for storages that keep it as text.
   *
   * @param metadata the metadata
   * @return its JSON
   */
  protected static String metadataJson(Map<String, String> metadata) {
    try {
      return METADATA.writeValueAsString(metadata);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("string map cannot fail to serialize", e);
    }
  }

  /**
   * Decodes metadata stored as JSON text.
   *
   * @param json the JSON
   * @return the metadata
   */
  protected static Map<String, String> metadataFromJson(String json) {
    if (json.equals("{}")) {
      return Map.of();
    }
    try {
      return METADATA.readValue(json, METADATA_TYPE);
    } catch (JsonProcessingException e) {
      // Corrupt data, not a storage outage: readers must stop on it, not retry it forever.
      throw new IllegalStateException("Stored event metadata is malformed: " + json, e);
    }
  }

  /**
   * Decodes metadata stored as UTF-8 JSON.
   *
   * @param json the JSON
   * @return the metadata
   */
  protected static Map<String, String> metadataFromJson(byte[] json) {
    if (json.length == 2 && json[0] == '{' && json[1] == '}') {
      return Map.of();
    }
    return metadataFromJson(new String(json, StandardCharsets.UTF_8));
  }

  private List<PendingEvent> serializeAll(String stream, List<NewEvent> events) {
    List<PendingEvent> pending = new ArrayList<>(events.size());
    Set<UUID> ids = new HashSet<>();
    for (int i = 0; i < events.size(); i++) {
      NewEvent event = Objects.requireNonNull(events.get(i), "event");
      if (!ids.add(event.eventId())) {
        throw new IllegalArgumentException(
            "Append to stream '" + stream + "' contains event id " + event.eventId() + " twice");
      }
      EventSerializer.Serialized serialized = serializer.serialize(event.data());
      requireName("event type name", serialized.type());
      event.metadata().forEach(AbstractEventStore::requireMetadataEntry);
      String metadata = metadataJson(event.metadata());
      long bytes =
          serialized.json().getBytes(StandardCharsets.UTF_8).length
              + metadata.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > maxEventBytes) {
        throw new IllegalArgumentException(
            "Event "
                + (i + 1)
                + " of the append to stream '"
                + stream
                + "' (type '"
                + serialized.type()
                + "') is "
                + bytes
                + " bytes, over the limit of "
                + maxEventBytes);
      }
      pending.add(
          new PendingEvent(
              event.eventId(), serialized.type(), serialized.json(), event.metadata(), metadata));
    }
    return pending;
  }

  private AppendResult resolveConflict(
      String stream,
      ExpectedVersion expected,
      List<PendingEvent> pending,
      AppendConflict conflict) {
    Set<UUID> ids = new HashSet<>();
    pending.forEach(event -> ids.add(event.eventId()));
    List<StoredEvent> stored = new ArrayList<>(fetchByIds(ids));
    if (stored.isEmpty()) {
      if (conflict.isDuplicateEventId()) {
        throw new EventStoreException(
            "Append to stream '" + stream + "' hit a stored event id that is no longer found",
            conflict);
      }
      throw new WrongExpectedVersionException(stream, expected, conflict.actualVersion());
    }
    stored.sort(Comparator.comparingLong(StoredEvent::position));
    List<UUID> storedIds = stored.stream().map(StoredEvent::eventId).toList();
    if (stored.size() != pending.size()) {
      throw new EventIdConflictException(
          stream, storedIds, stored.size() + " of its " + pending.size() + " events are stored");
    }
    for (int i = 0; i < stored.size(); i++) {
      StoredEvent event = stored.get(i);
      boolean sameSlot =
          event.eventId().equals(pending.get(i).eventId())
              && event.stream().equals(stream)
              && event.version() == stored.get(0).version() + i
              && event.position() == stored.get(0).position() + i;
      if (!sameSlot) {
        throw new EventIdConflictException(
            stream, storedIds, "its events are stored in another stream or order");
      }
      if (event.appendSize() > 0
          && (event.appendIndex() != i || event.appendSize() != stored.size())) {
        throw new EventIdConflictException(
            stream,
            storedIds,
            "they are not exactly one stored append (event "
                + event.eventId()
                + " is number "
                + (event.appendIndex() + 1)
                + " of an append of "
                + event.appendSize()
                + ")");
      }
      if (!samePayload(event, pending.get(i))) {
        throw new EventIdConflictException(
            stream,
            storedIds,
            "event " + event.eventId() + " is stored with another type, data or metadata");
      }
    }
    StoredEvent last = stored.get(stored.size() - 1);
    return new AppendResult(stream, last.version(), stored.get(0).position(), last.position());
  }

  /**
   * Tells whether a retried event carries what was stored: the same type name, the same metadata
   * and the same JSON data (compared as trees: a database may store JSON reformatted, as
   * PostgreSQL's JSONB does).
   */
  private static boolean samePayload(StoredEvent stored, PendingEvent retried) {
    if (!stored.type().equals(retried.type()) || !stored.metadata().equals(retried.metadata())) {
      return false;
    }
    if (stored.json().equals(retried.json())) {
      return true;
    }
    try {
      return METADATA.readTree(stored.json()).equals(METADATA.readTree(retried.json()));
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  /**
   * Deserializes a stored event with the store's serializer.
   *
   * @param event the event as stored
   * @return the event with its domain data
   * @throws UnknownEventTypeException if its type is unknown and unknown types are not tolerated
   * @throws IllegalStateException if its data is malformed
   */
  protected final RecordedEvent deserialize(StoredEvent event) {
    EventSerializer.Deserialized data =
        serializer.deserialize(event.type(), event.json(), event.stream(), event.position());
    return new RecordedEvent(
        event.eventId(),
        event.stream(),
        event.version(),
        event.position(),
        data.type(),
        data.data(),
        event.metadata(),
        event.timestamp());
  }

  /**
   * Deserializes a page of stored events with the store's serializer, for storages that read in
   * pages: the results are then in {@link SerializedEvents#resultType} and {@link
   * SerializedEvents#result}.
   *
   * @param page the page
   * @throws UnknownEventTypeException if an event's type is unknown and unknown types are not
   *     tolerated
   * @throws IllegalStateException if an event's data is malformed
   */
  protected final void deserializeAll(SerializedEvents page) {
    serializer.deserializeAll(page);
  }

  private static void requireStreamId(String stream) {
    Objects.requireNonNull(stream, "stream");
    requireName("stream id", stream);
  }

  /**
   * Checks a name the storage keeps in a bounded text column (a stream id, an event type name): not
   * blank, at most 200 characters, no control character and no unpaired surrogate. Checked here,
   * before any database sees the name: PostgreSQL and MariaDB would store an unpaired surrogate as
   * '?', so two different names would become one, and a NUL fails in the driver.
   */
  private static void requireName(String kind, String name) {
    if (name.isBlank()) {
      throw new IllegalArgumentException(kind + " must not be blank");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          kind + " must be at most " + MAX_NAME_LENGTH + " characters but was " + name.length());
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            kind
                + " "
                + printable(name)
                + " has a control character "
                + codePoint(c)
                + " at index "
                + i);
      }
    }
    int surrogate = unpairedSurrogate(name);
    if (surrogate >= 0) {
      throw new IllegalArgumentException(
          kind
              + " "
              + printable(name)
              + " has an unpaired surrogate "
              + codePoint(name.charAt(surrogate))
              + " at index "
              + surrogate);
    }
  }

  /**
   * Checks a metadata entry: its key like a name; its value free of unpaired surrogates, which
   * PostgreSQL and MariaDB would store as '?' (control characters are escaped in the JSON).
   */
  private static void requireMetadataEntry(String key, String value) {
    requireName("metadata key", key);
    int surrogate = unpairedSurrogate(value);
    if (surrogate >= 0) {
      throw new IllegalArgumentException(
          "metadata value of key "
              + printable(key)
              + " has an unpaired surrogate "
              + codePoint(value.charAt(surrogate))
              + " at index "
              + surrogate);
    }
  }

  /** Tells where the text has a surrogate that is not half of a well-formed pair, or -1. */
  private static int unpairedSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++; // a well-formed pair: one supplementary character
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  private static String codePoint(char c) {
    return String.format(Locale.ROOT, "U+%04X", (int) c);
  }

  /** The id in quotes with control characters and surrogates escaped, safe to log. */
  private static String printable(String id) {
    StringBuilder out = new StringBuilder(id.length() + 2).append('\'');
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (Character.isISOControl(c) || Character.isSurrogate(c)) {
        out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('\'').toString();
  }

  private static void requirePositiveMax(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be positive but was " + max);
    }
  }

  /** Writes serialized events atomically; see {@link #write}. */
  @FunctionalInterface
  protected interface Writer {
    /**
     * Writes the events.
     *
     * @param stream the stream id
     * @param expected the expected version
     * @param events the serialized events
     * @param timestamp the time to record
     * @return the new version and the positions written
     * @throws AppendConflict on a version mismatch or an event id already stored
     */
    AppendResult write(
        String stream, ExpectedVersion expected, List<PendingEvent> events, Instant timestamp)
        throws AppendConflict;
  }

  /**
   * An event ready to be written. Public (like {@link StoredEvent}) so that the classes a storage
   * splits its writing into can take it, not only the subclass itself.
   *
   * @param eventId its id
   * @param type its type name
   * @param json its data as JSON
   * @param metadata its metadata
   * @param metadataJson its metadata as JSON
   */
  public record PendingEvent(
      UUID eventId, String type, String json, Map<String, String> metadata, String metadataJson) {}

  /**
   * An event as a storage keeps it, before deserialization.
   *
   * @param eventId its id
   * @param stream its stream
   * @param version its version in the stream
   * @param position its global position
   * @param type its stored type name
   * @param json its data as JSON
   * @param metadata its metadata
   * @param timestamp when it was appended
   * @param appendIndex its place in the append that wrote it, from 0; -1 if not recorded
   * @param appendSize how many events that append wrote; -1 if not recorded (rows written before
   *     the storage recorded it)
   */
  public record StoredEvent(
      UUID eventId,
      String stream,
      long version,
      long position,
      String type,
      String json,
      Map<String, String> metadata,
      Instant timestamp,
      int appendIndex,
      int appendSize) {

    /**
     * An event whose append is not known, as read for delivery.
     *
     * @param eventId its id
     * @param stream its stream
     * @param version its version in the stream
     * @param position its global position
     * @param type its stored type name
     * @param json its data as JSON
     * @param metadata its metadata
     * @param timestamp when it was appended
     */
    public StoredEvent(
        UUID eventId,
        String stream,
        long version,
        long position,
        String type,
        String json,
        Map<String, String> metadata,
        Instant timestamp) {
      this(eventId, stream, version, position, type, json, metadata, timestamp, -1, -1);
    }
  }

  /**
   * The settings every store shares.
   *
   * @param serializer turns events into JSON and back
   * @param maxEventBytes the largest serialized event (data plus metadata) accepted
   * @param timeSource its wall clock ({@link TimeSource#now()}) stamps appended events
   * @param pollInterval how often subscriptions look for events appended by other processes
   */
  public record Settings(
      EventSerializer serializer, int maxEventBytes, TimeSource timeSource, Duration pollInterval) {

    /**
     * Validates the settings.
     *
     * @param serializer the serializer
     * @param maxEventBytes the size limit
     * @param timeSource the time source
     * @param pollInterval the polling interval
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the size limit or the interval is not positive
     */
    public Settings {
      Objects.requireNonNull(serializer, "serializer");
      Objects.requireNonNull(timeSource, "timeSource");
      Objects.requireNonNull(pollInterval, "pollInterval");
      if (maxEventBytes < 1) {
        throw new IllegalArgumentException(
            "maxEventBytes must be positive but was " + maxEventBytes);
      }
      if (pollInterval.isNegative() || pollInterval.isZero()) {
        throw new IllegalArgumentException("pollInterval must be positive but was " + pollInterval);
      }
    }

    /**
     * Default settings around a serializer: 1 MiB events, {@link TimeSource#system()}, polling
     * every 100 ms.
     *
     * @param serializer the serializer
     * @return the settings
     */
    public static Settings defaults(EventSerializer serializer) {
      return new Settings(serializer, 1 << 20, TimeSource.system(), Duration.ofMillis(100));
    }

    /**
     * Returns a copy with another size limit.
     *
     * @param bytes the largest serialized event accepted
     * @return the copy
     */
    public Settings withMaxEventBytes(int bytes) {
      return new Settings(serializer, bytes, timeSource, pollInterval);
    }

    /**
     * Returns a copy with another time source, whose wall clock stamps appended events.
     *
     * @param newTimeSource the time source, for example a test's {@code ManualTimeSource}
     * @return the copy
     * @throws NullPointerException if the time source is null
     */
    public Settings withTimeSource(TimeSource newTimeSource) {
      return new Settings(serializer, maxEventBytes, newTimeSource, pollInterval);
    }

    /**
     * Returns a copy with another polling interval.
     *
     * @param interval the interval
     * @return the copy
     */
    public Settings withPollInterval(Duration interval) {
      return new Settings(serializer, maxEventBytes, timeSource, interval);
    }
  }

  /**
   * Thrown by {@link #write} when an append must not go ahead; nothing was written. The store then
   * tells a retried append (returns its original result) from a real conflict. Public so that the
   * classes a storage splits its writing into can throw it, not only the subclass itself.
   */
  public static final class AppendConflict extends Exception {
    @Serial private static final long serialVersionUID = 1L;

    private final long actualVersion;
    private final boolean duplicateEventId;

    private AppendConflict(long actualVersion, boolean duplicateEventId, String message) {
      super(message, null, false, false);
      this.actualVersion = actualVersion;
      this.duplicateEventId = duplicateEventId;
    }

    /**
     * The stream is not at the expected version.
     *
     * @param actualVersion the stream's version
     * @return the conflict
     */
    public static AppendConflict versionMismatch(long actualVersion) {
      return new AppendConflict(actualVersion, false, "stream at version " + actualVersion);
    }

    /**
     * An event id of the batch is already stored.
     *
     * @return the conflict
     */
    public static AppendConflict duplicateEventId() {
      return new AppendConflict(-1, true, "event id already stored");
    }

    long actualVersion() {
      return actualVersion;
    }

    boolean isDuplicateEventId() {
      return duplicateEventId;
    }
  }
}
