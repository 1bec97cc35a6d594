package dev.lintel.eventsourcing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
  private static final Pattern TYPE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}");

  private final ObjectMapper mapper;
  private final Map<Class<?>, String> namesByClass;
  private final Map<String, Class<?>> classesByName;
  private final Map<Class<?>, ObjectReader> readers = new ConcurrentHashMap<>();
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

  @Override
  public Deserialized deserialize(String type, String json, String stream, long position) {
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
