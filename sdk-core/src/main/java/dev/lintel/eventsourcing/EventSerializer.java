package dev.lintel.eventsourcing;

/**
 * Turns domain events into stored text and back. Implementations must be thread-safe.
 *
 * @see JacksonEventSerializer
 */
public interface EventSerializer {

  /**
   * Serializes a domain event.
   *
   * @param data the domain event
   * @return its stable type name and JSON text
   * @throws IllegalArgumentException if the event's class is not registered or cannot be serialized
   */
  Serialized serialize(Object data);

  /**
   * Deserializes a stored event, upcasting old shapes first.
   *
   * @param type the stored type name
   * @param json the stored JSON text
   * @param stream the event's stream, for error messages
   * @param position the event's position, for error messages
   * @return the current type name and the domain event
   * @throws UnknownEventTypeException if no class or upcaster knows the type and unknown types are
   *     not tolerated
   * @throws IllegalStateException if the stored data is malformed or does not fit its class
   */
  Deserialized deserialize(String type, String json, String stream, long position);

  /**
   * A serialized event.
   *
   * @param type its stable type name
   * @param json its JSON text
   */
  record Serialized(String type, String json) {}

  /**
   * A deserialized event.
   *
   * @param type its type name after upcasting
   * @param data the domain event
   */
  record Deserialized(String type, Object data) {}
}
