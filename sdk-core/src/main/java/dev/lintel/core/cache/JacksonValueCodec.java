package dev.lintel.core.cache;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lintel.cache.ValueCodec;
import java.util.Objects;

/**
 * The default {@link ValueCodec}: values as JSON through Jackson. Readers and writers are bound to
 * the value type once, so encoding and decoding do no type lookups. Thread-safe.
 *
 * @param <V> the value type
 */
public final class JacksonValueCodec<V> implements ValueCodec<V> {
  private static final ObjectMapper DEFAULT_MAPPER =
      JsonMapper.builder().findAndAddModules().build();

  private final ObjectReader reader;
  private final ObjectWriter writer;

  private JacksonValueCodec(ObjectMapper mapper, JavaType type) {
    this.reader = mapper.readerFor(type);
    this.writer = mapper.writerFor(type);
  }

  /**
   * A codec for a class with a mapper that finds the modules on the class path.
   *
   * @param type the value class
   * @param <V> the value type
   * @return the codec
   */
  public static <V> JacksonValueCodec<V> of(Class<V> type) {
    return of(DEFAULT_MAPPER, type);
  }

  /**
   * A codec for a class with the host's mapper.
   *
   * @param mapper the mapper; not changed
   * @param type the value class
   * @param <V> the value type
   * @return the codec
   */
  public static <V> JacksonValueCodec<V> of(ObjectMapper mapper, Class<V> type) {
    Objects.requireNonNull(mapper, "mapper");
    Objects.requireNonNull(type, "type");
    return new JacksonValueCodec<>(mapper, mapper.constructType(type));
  }

  /**
   * A codec for a generic type, for example {@code new TypeReference<List<Order>>() {}}.
   *
   * @param mapper the mapper; not changed
   * @param type the value type
   * @param <V> the value type
   * @return the codec
   */
  public static <V> JacksonValueCodec<V> of(ObjectMapper mapper, TypeReference<V> type) {
    Objects.requireNonNull(mapper, "mapper");
    Objects.requireNonNull(type, "type");
    return new JacksonValueCodec<>(mapper, mapper.constructType(type));
  }

  @Override
  public byte[] encode(V value) throws Exception {
    return writer.writeValueAsBytes(value);
  }

  @Override
  public V decode(byte[] bytes) throws Exception {
    V value = reader.readValue(bytes);
    if (value == null) {
      throw new IllegalArgumentException("JSON null is not a cached value");
    }
    return value;
  }
}
