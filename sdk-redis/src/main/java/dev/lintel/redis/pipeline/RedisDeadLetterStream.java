package dev.lintel.redis.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lintel.pipeline.DeadLetter;
import dev.lintel.pipeline.Sink;
import dev.lintel.redis.RedisConnector;
import dev.lintel.redis.internal.RedisKeyspace;
import io.lettuce.core.codec.StringCodec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A dead-letter sink that adds each {@link DeadLetter} to a Redis stream ({@code XADD}) with the
 * fields {@code pipeline}, {@code stage}, {@code key}, {@code attempts}, {@code at}, {@code error}
 * (the exception's {@code toString()}) and {@code item} (JSON, or its {@code toString()} when
 * Jackson cannot write it). A failed {@code XADD} throws, which fails the pipeline: no item is lost
 * on its way to the stream. Works on a standalone Redis and on a Redis Cluster (see {@link
 * RedisConnector}), where the stream lives on the master of its slot.
 *
 * <p>Thread-safe. {@link #close()} closes the connection the sink opened, not the connector: close
 * it after the pipeline.
 */
public final class RedisDeadLetterStream implements Sink<DeadLetter>, AutoCloseable {
  private final RedisKeyspace<String> connection;
  private final String stream;
  private final ObjectMapper mapper = new ObjectMapper();

  private RedisDeadLetterStream(RedisKeyspace<String> connection, String stream) {
    this.connection = connection;
    this.stream = stream;
  }

  /**
   * Opens the sink's connection on the host's connector.
   *
   * @param connector a standalone Redis or a cluster; the host closes it
   * @param stream the dead-letter stream's key
   * @return the sink
   * @throws IllegalArgumentException if the key is blank
   */
  public static RedisDeadLetterStream using(RedisConnector connector, String stream) {
    Objects.requireNonNull(connector, "connector");
    Objects.requireNonNull(stream, "stream");
    if (stream.isBlank()) {
      throw new IllegalArgumentException("stream must not be blank but was '" + stream + "'");
    }
    return new RedisDeadLetterStream(RedisKeyspace.open(connector, StringCodec.UTF8), stream);
  }

  @Override
  public void accept(DeadLetter letter) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("pipeline", letter.pipeline());
    fields.put("stage", letter.stage());
    fields.put("key", letter.key());
    fields.put("attempts", Integer.toString(letter.attempts()));
    fields.put("at", letter.at().toString());
    fields.put("error", String.valueOf(letter.error()));
    fields.put("item", json(letter.item()));
    connection.sync().xadd(stream, fields);
  }

  private String json(Object item) {
    try {
      return mapper.writeValueAsString(item);
    } catch (Exception notJson) {
      return String.valueOf(item);
    }
  }

  /** Closes the sink's connection (not the connector). */
  @Override
  public void close() {
    connection.close();
  }
}
