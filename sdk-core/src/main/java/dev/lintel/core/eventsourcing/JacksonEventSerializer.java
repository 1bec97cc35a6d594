package dev.lintel.core.eventsourcing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lintel.eventsourcing.UnknownEventTypeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Serializes events as JSON with Jackson, under stable type names registered per class, and upcasts
 * old event shapes on read.
 *
 * <pre>{@code
 * EventSerializer serializer = JacksonEventSerializer.builder()
 *     .type(OrderPlaced.class, "order-placed.v2")
 *     .upcaster("order-placed.v1", "order-placed.v2", json -> json.put("currency", "EUR"))
 *     .build();
 * }</pre>
 *
 * <p>A type name is part of the stored data and must never change once events are written; renaming
 * or reshaping a class is done by registering the new shape under a new name and an upcaster from
 * the old name. Upcasters chain: an event stored as v1 passes through v1→v2 and v2→v3 on read.
 *
 * <p>Immutable and thread-safe.
 */
public final class JacksonEventSerializer implements EventSerializer {
  private static final Object NOT_READ = new Object();
  private static final Pattern TYPE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}");

  private final ObjectMapper mapper;
  private final Map<Class<?>, String> namesByClass;
  private final Map<String, Class<?>> classesByName;
  private final Map<Class<?>, ObjectReader> readers = new ConcurrentHashMap<>();
  private final Map<String, Target> targets;
  private final boolean sharesParsers;
  private final Map<String, Upcaster> upcasters;
  private final boolean keepUnknownTypes;
  private final boolean classNames;

  private JacksonEventSerializer(Builder builder) {
    this.mapper = builder.mapper;
    this.namesByClass = Map.copyOf(builder.namesByClass);
    this.classesByName = Map.copyOf(builder.classesByName);
    this.upcasters = Map.copyOf(builder.upcasters);
    this.keepUnknownTypes = builder.keepUnknownTypes;
    this.classNames = builder.classNames;
    Map<String, Target> byName = new HashMap<>();
    classesByName.forEach(
        (name, type) -> byName.put(name, new Target(name, type, mapper.readerFor(type))));
    this.targets = byName;
    // A reader that insists on nothing after its value cannot read values one after another.
    this.sharesParsers = !mapper.isEnabled(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /**
   * Starts building a serializer.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Serialized serialize(Object data) {
    String type = namesByClass.get(data.getClass());
    if (type == null && classNames) {
      type = data.getClass().getName();
    }
    if (type == null) {
      throw new IllegalArgumentException(
          "Event class "
              + data.getClass().getName()
              + " has no registered type name; register it with JacksonEventSerializer.builder()"
              + ".type(class, name)");
    }
    try {
      return new Serialized(type, mapper.writeValueAsString(data));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Event of type '"
              + type
              + "' ("
              + data.getClass().getName()
              + ") cannot be serialized: "
              + e.getOriginalMessage(),
          e);
    }
  }

  /*
   * Reading is the hot path of replays and projections. A registered type without upcasters (the
   * usual case) costs one hash lookup of its name and one bind through an ObjectReader made when
   * the serializer was built; everything else takes the general path below.
   */
  @Override
  public Deserialized deserialize(String type, String json, String stream, long position) {
    Target target = targets.get(type);
    if (target == null) {
      return deserializeSlowly(type, json, stream, position);
    }
    try {
      return new Deserialized(target.name(), target.reader().readValue(json));
    } catch (JsonProcessingException e) {
      throw unreadable(position, stream, target, e);
    }
  }

  /**
   * Deserializes a stored event from its UTF-8 bytes, without making a string of them first.
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
  @Override
  public Deserialized deserialize(String type, byte[] json, String stream, long position) {
    Target target = targets.get(type);
    if (target == null) {
      return deserializeSlowly(type, new String(json, StandardCharsets.UTF_8), stream, position);
    }
    try {
      return new Deserialized(target.name(), target.reader().readValue(json));
    } catch (JsonProcessingException e) {
      throw unreadable(position, stream, target, e);
    } catch (IOException e) {
      throw new IllegalStateException(
          describe(position, stream, target.name()) + " cannot be read: " + e.getMessage(), e);
    }
  }

  /*
   * Creating a parser costs more than binding a small event (about 700 bytes of parser, context,
   * symbol table and buffers). So a run of events of registered types shares one parser over the
   * page's buffer, where their texts lie one after another separated by spaces, and each event is
   * bound from where the previous one ended. Each value is checked to start and end inside its
   * own event's bytes; if it does not (text that is not exactly one JSON value, a custom
   * deserializer that leaves tokens behind or reads too far), or binding fails, that event is read
   * again on its own, which gives exactly the result or exception of deserialize(...), and the
   * next event starts a new run.
   */
  @Override
  public void deserializeAll(SerializedEvents events) {
    JsonParser run = null;
    int runStart = 0;
    try {
      for (int i = 0; i < events.size(); i++) {
        Target target = sharesParsers ? targets.get(events.type(i)) : null;
        Object data = NOT_READ;
        if (target != null) {
          if (run == null) {
            runStart = events.start(i);
            run = openRun(target, events, runStart);
          }
          data = run == null ? NOT_READ : readInRun(run, runStart, target, events, i);
        }
        if (data == NOT_READ) {
          run = closeRun(run);
          Deserialized alone =
              deserialize(events.type(i), events.json(i), events.stream(i), events.position(i));
          events.setResult(i, alone.type(), alone.data());
        } else {
          events.setResult(i, target.name(), data);
        }
      }
    } finally {
      closeRun(run);
    }
  }

  private static @Nullable JsonParser openRun(
      Target target, SerializedEvents events, int runStart) {
    try {
      return target
          .reader()
          .createParser(events.buffer(), runStart, events.end(events.size() - 1) - runStart);
    } catch (IOException e) {
      return null;
    }
  }

  /** Binds the run's next value as event {@code i}, or returns NOT_READ if it is not exactly it. */
  private static Object readInRun(
      JsonParser run, int runStart, Target target, SerializedEvents events, int i) {
    try {
      if (run.nextToken() == null
          || runStart + run.currentTokenLocation().getByteOffset() < events.start(i)) {
        return NOT_READ;
      }
      Object data = target.reader().readValue(run);
      if (data == null || runStart + run.currentLocation().getByteOffset() > events.end(i)) {
        return NOT_READ;
      }
      return data;
    } catch (IOException | RuntimeException e) {
      return NOT_READ; // read again alone, which reports it properly
    }
  }

  private static @Nullable JsonParser closeRun(@Nullable JsonParser run) {
    if (run != null) {
      try {
        run.close();
      } catch (IOException e) {
        // nothing to release for a byte array
      }
    }
    return null;
  }

  /** Upcasting, class names and unknown types. */
  private Deserialized deserializeSlowly(String type, String json, String stream, long position) {
    String current = type;
    JsonNode tree = null;
    for (int hops = 0; upcasters.containsKey(current); hops++) {
      if (hops > upcasters.size()) {
        throw new IllegalStateException("Upcasters loop from type '" + type + "'");
      }
      Upcaster upcaster = upcasters.get(current);
      tree = tree == null ? readTree(json, type, stream, position) : tree;
      if (!(tree instanceof ObjectNode object)) {
        throw new IllegalStateException(
            "Event at position " + position + " of type '" + current + "' is not a JSON object");
      }
      tree = upcaster.transform.apply(object);
      current = upcaster.toType;
    }
    Class<?> target = classesByName.get(current);
    if (target == null && classNames) {
      target = loadClass(current);
    }
    if (target == null) {
      if (keepUnknownTypes) {
        return new Deserialized(
            current, new UnknownEvent(current, tree == null ? json : tree.toString()));
      }
      throw new UnknownEventTypeException(current, stream, position);
    }
    try {
      Object data =
          tree == null
              ? readers.computeIfAbsent(target, mapper::readerFor).readValue(json)
              : mapper.treeToValue(tree, target);
      return new Deserialized(current, data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          describe(position, stream, current)
              + " cannot be read as "
              + target.getName()
              + ": "
              + e.getOriginalMessage(),
          e);
    }
  }

  private static IllegalStateException unreadable(
      long position, String stream, Target target, JsonProcessingException e) {
    return new IllegalStateException(
        describe(position, stream, target.name())
            + " cannot be read as "
            + target.type().getName()
            + ": "
            + e.getOriginalMessage(),
        e);
  }

  private static String describe(long position, String stream, String type) {
    return "Event at position " + position + " (stream '" + stream + "') of type '" + type + "'";
  }

  private static @Nullable Class<?> loadClass(String name) {
    try {
      return Class.forName(name, false, Thread.currentThread().getContextClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  private JsonNode readTree(String json, String type, String stream, long position) {
    try {
      return mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          describe(position, stream, type) + " holds malformed JSON", e);
    }
  }

  private record Upcaster(String toType, UnaryOperator<ObjectNode> transform) {}

  /** A registered type name and the reader of its class. */
  private record Target(String name, Class<?> type, ObjectReader reader) {}

  /** Builds a {@link JacksonEventSerializer}. Not thread-safe. */
  public static final class Builder {
    private ObjectMapper mapper = JsonMapper.builder().findAndAddModules().build();
    private final Map<Class<?>, String> namesByClass = new HashMap<>();
    private final Map<String, Class<?>> classesByName = new HashMap<>();
    private final Map<String, Upcaster> upcasters = new HashMap<>();
    private boolean keepUnknownTypes;
    private boolean classNames;

    private Builder() {}

    /**
     * Uses this object mapper (for example with the host's modules); a copy is not made, so do not
     * reconfigure it afterwards.
     *
     * @param mapper the mapper
     * @return this builder
     */
    public Builder objectMapper(ObjectMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper, "mapper");
      return this;
    }

    /**
     * Registers an event class under a stable type name.
     *
     * @param type the class
     * @param name its type name: letters, digits and {@code _ . : -}, at most 200 characters
     * @return this builder
     * @throws IllegalArgumentException if the name is malformed, or the class or name is taken
     */
    public Builder type(Class<?> type, String name) {
      Objects.requireNonNull(type, "type");
      requireTypeName(name);
      if (namesByClass.containsKey(type)) {
        throw new IllegalArgumentException(
            type.getName() + " is already registered as '" + namesByClass.get(type) + "'");
      }
      if (classesByName.containsKey(name) || upcasters.containsKey(name)) {
        throw new IllegalArgumentException("Type name '" + name + "' is already registered");
      }
      namesByClass.put(type, name);
      classesByName.put(name, type);
      return this;
    }

    /**
     * Registers an upcaster that turns events stored under one type name into the shape of another.
     *
     * @param fromType the old type name, which no class may be registered under
     * @param toType the new type name (a class's, or another upcaster's source)
     * @param transform changes the JSON object in place or returns a new one
     * @return this builder
     * @throws IllegalArgumentException if a name is malformed or {@code fromType} is taken
     */
    public Builder upcaster(String fromType, String toType, UnaryOperator<ObjectNode> transform) {
      requireTypeName(fromType);
      requireTypeName(toType);
      Objects.requireNonNull(transform, "transform");
      if (classesByName.containsKey(fromType) || upcasters.containsKey(fromType)) {
        throw new IllegalArgumentException(
            "Type name '" + fromType + "' already has a class or an upcaster");
      }
      upcasters.put(fromType, new Upcaster(toType, transform));
      return this;
    }

    /**
     * Reads events of unknown types as {@link UnknownEvent} instead of failing with {@link
     * UnknownEventTypeException}.
     *
     * @return this builder
     */
    public Builder keepUnknownTypes() {
      this.keepUnknownTypes = true;
      return this;
    }

    /**
     * Lets classes without a registered name be stored under their fully qualified class name.
     * Meant for the embedded, in-memory default and for prototypes: stored data then breaks when a
     * class is renamed or moved, and reading resolves stored names to classes, so use registered
     * names for any store whose data outlives the process.
     *
     * @return this builder
     */
    public Builder classNamesForUnregisteredTypes() {
      this.classNames = true;
      return this;
    }

    /**
     * Builds the serializer.
     *
     * @return the serializer
     */
    public JacksonEventSerializer build() {
      return new JacksonEventSerializer(this);
    }

    private static void requireTypeName(String name) {
      Objects.requireNonNull(name, "name");
      if (!TYPE_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "Event type name must be 1-200 of [A-Za-z0-9_.:-] starting with a letter or digit but"
                + " was '"
                + name
                + "'");
      }
    }
  }
}
