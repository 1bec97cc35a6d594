package dev.lintel.core.eventsourcing;

import dev.lintel.eventsourcing.UnknownEventTypeException;
import java.nio.charset.StandardCharsets;

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
   * Deserializes a stored event given as UTF-8 bytes, as some databases hand it over. The default
   * decodes the bytes to a string and calls {@link #deserialize(String, String, String, long)};
   * serializers that can parse bytes directly override it to save that copy.
   *
   * @param type the stored type name
   * @param json the stored JSON text, UTF-8 encoded
   * @param stream the event's stream, for error messages
   * @param position the event's position, for error messages
   * @return the current type name and the domain event
   * @throws UnknownEventTypeException if no class or upcaster knows the type and unknown types are
   *     not tolerated
   * @throws IllegalStateException if the stored data is malformed or does not fit its class
   */
  default Deserialized deserialize(String type, byte[] json, String stream, long position) {
    return deserialize(type, new String(json, StandardCharsets.UTF_8), stream, position);
  }

  /**
   * Deserializes a page of stored events, recording each result with {@link
   * SerializedEvents#setResult}. Serializers may share work across the page (Jackson's shares one
   * parser); the default deserializes the events one by one. Either way the results and the
   * exceptions are those of {@link #deserialize(String, byte[], String, long)} for each event, and
   * the first event that fails stops the page with its exception.
   *
   * @param events the page
   * @throws UnknownEventTypeException if an event's type is unknown and unknown types are not
   *     tolerated
   * @throws IllegalStateException if an event's data is malformed or does not fit its class
   */
  default void deserializeAll(SerializedEvents events) {
    for (int i = 0; i < events.size(); i++) {
      Deserialized event =
          deserialize(events.type(i), events.json(i), events.stream(i), events.position(i));
      events.setResult(i, event.type(), event.data());
    }
  }

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
