package dev.lintel.core.eventsourcing;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A page of stored events that a storage hands to {@link EventSerializer#deserializeAll} in one go,
 * so that the serializer can share its per-event setup (a JSON parser, say) across the page. Their
 * JSON texts lie one after another in one UTF-8 buffer, each followed by a space; each comes with
 * its stored type name, stream and position. The serializer puts each event's result back with
 * {@link #setResult}.
 *
 * <p>A storage fills a page row by row with {@link #add}, has it deserialized, takes the results
 * and {@link #clear clears} it for the next page, so a long read allocates its buffers once. Not
 * thread-safe.
 */
public final class SerializedEvents {
  private final int capacity;
  private final int[] starts;
  private final String[] types;
  private final String[] streams;
  private final long[] positions;
  private final @Nullable String[] resultTypes;
  private final @Nullable Object[] results;
  private byte[] buffer = new byte[8_192];
  private int size;
  private int length;

  /**
   * Creates an empty page.
   *
   * @param capacity the most events it holds
   * @throws IllegalArgumentException if the capacity is not positive
   */
  public SerializedEvents(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive but was " + capacity);
    }
    this.capacity = capacity;
    this.starts = new int[capacity + 1];
    this.types = new String[capacity];
    this.streams = new String[capacity];
    this.positions = new long[capacity];
    this.resultTypes = new String[capacity];
    this.results = new Object[capacity];
  }

  /**
   * Adds a stored event at the end of the page.
   *
   * @param type its stored type name
   * @param json its JSON text, UTF-8 encoded (copied)
   * @param stream its stream, for error messages
   * @param position its position, for error messages
   * @throws IllegalStateException if the page is full
   */
  public void add(String type, byte[] json, String stream, long position) {
    if (size == capacity) {
      throw new IllegalStateException("the page is full: " + capacity + " events");
    }
    int needed = length + json.length + 1;
    if (needed > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(needed, buffer.length * 2));
    }
    System.arraycopy(json, 0, buffer, length, json.length);
    buffer[needed - 1] = ' ';
    length = needed;
    types[size] = Objects.requireNonNull(type, "type");
    streams[size] = Objects.requireNonNull(stream, "stream");
    positions[size] = position;
    size++;
    starts[size] = length;
  }

  /**
   * Tells how many events the page holds.
   *
   * @return the number of events
   */
  public int size() {
    return size;
  }

  /**
   * Tells an event's stored type name.
   *
   * @param index the event's index in the page, from 0
   * @return its type name
   */
  public String type(int index) {
    return types[Objects.checkIndex(index, size)];
  }

  /**
   * Tells an event's stream.
   *
   * @param index the event's index in the page
   * @return its stream
   */
  public String stream(int index) {
    return streams[Objects.checkIndex(index, size)];
  }

  /**
   * Tells an event's position.
   *
   * @param index the event's index in the page
   * @return its position
   */
  public long position(int index) {
    return positions[Objects.checkIndex(index, size)];
  }

  /**
   * Gives the buffer that holds every event's JSON; only the bytes from {@link #start(int)
   * start(0)} to {@link #end(int) end(size() - 1)} belong to the page. Read it, do not change it.
   *
   * @return the buffer
   */
  public byte[] buffer() {
    return buffer;
  }

  /**
   * Tells where an event's JSON starts in the {@link #buffer()}.
   *
   * @param index the event's index in the page
   * @return the offset of its first byte
   */
  public int start(int index) {
    return starts[Objects.checkIndex(index, size)];
  }

  /**
   * Tells where an event's bytes end in the {@link #buffer()}: after its JSON and the space that
   * follows it, which is where the next event starts.
   *
   * @param index the event's index in the page
   * @return the offset just past the space after its JSON
   */
  public int end(int index) {
    return starts[Objects.checkIndex(index, size) + 1];
  }

  /**
   * Copies an event's JSON out of the buffer.
   *
   * @param index the event's index in the page
   * @return its JSON text, UTF-8 encoded
   */
  public byte[] json(int index) {
    return Arrays.copyOfRange(buffer, start(index), end(index) - 1);
  }

  /**
   * Records an event's deserialized form; the serializer calls it once per event.
   *
   * @param index the event's index in the page
   * @param type its type name after upcasting
   * @param data the domain event
   */
  public void setResult(int index, String type, Object data) {
    Objects.checkIndex(index, size);
    resultTypes[index] = Objects.requireNonNull(type, "type");
    results[index] = Objects.requireNonNull(data, "data");
  }

  /**
   * Gives an event's type name after upcasting, as the serializer recorded it.
   *
   * @param index the event's index in the page
   * @return its type name
   * @throws IllegalStateException if the serializer recorded no result for it
   */
  public String resultType(int index) {
    String type = resultTypes[Objects.checkIndex(index, size)];
    if (type == null) {
      throw new IllegalStateException("event " + index + " of the page was not deserialized");
    }
    return type;
  }

  /**
   * Gives an event's domain data, as the serializer recorded it.
   *
   * @param index the event's index in the page
   * @return the domain event
   * @throws IllegalStateException if the serializer recorded no result for it
   */
  public Object result(int index) {
    Object data = results[Objects.checkIndex(index, size)];
    if (data == null) {
      throw new IllegalStateException("event " + index + " of the page was not deserialized");
    }
    return data;
  }

  /** Empties the page for reuse. */
  public void clear() {
    Arrays.fill(types, 0, size, null);
    Arrays.fill(streams, 0, size, null);
    Arrays.fill(resultTypes, 0, size, null);
    Arrays.fill(results, 0, size, null);
    size = 0;
    length = 0;
  }
}
