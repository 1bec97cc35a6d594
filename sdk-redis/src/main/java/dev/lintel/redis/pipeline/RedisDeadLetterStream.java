package dev.lintel.redis.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lintel.pipeline.DeadLetter;
import dev.lintel.pipeline.Sink;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A dead-letter sink that adds each {@link DeadLetter} to a Redis stream ({@code XADD}) with the
 * fields {@code pipeline}, {@code stage}, {@code key}, {@code attempts}, {@code at}, {@code error}
 * (the exception's {@code toString()}) and {@code item} (JSON, or its {@code toString()} when
 * Jackson cannot write it). A failed {@code XADD} throws, which fails the pipeline: no item is lost
 * on its way to the stream. Thread-safe, as Lettuce connections are.
 */
public final class RedisDeadLetterStream implements Sink<DeadLetter> {
  private final StatefulRedisConnection<String, String> connection;
  private final String stream;
  private final ObjectMapper mapper = new ObjectMapper();

  private RedisDeadLetterStream(StatefulRedisConnection<String, String> connection, String stream) {
    this.connection = connection;
    this.stream = stream;
  }

  /**
   * Creates the sink on a connection the host owns and closes.
   *
   * @param connection the connection
   * @param stream the dead-letter stream's key
   * @return the sink
   * @throws IllegalArgumentException if the key is blank
   */
  public static RedisDeadLetterStream using(
      StatefulRedisConnection<String, String> connection, String stream) {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(stream, "stream");
    if (stream.isBlank()) {
      throw new IllegalArgumentException("stream must not be blank but was '" + stream + "'");
    }
    return new RedisDeadLetterStream(connection, stream);
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
}
