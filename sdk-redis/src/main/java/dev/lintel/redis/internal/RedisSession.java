package dev.lintel.redis.internal;

import dev.lintel.redis.RedisConnector;
import io.lettuce.core.codec.RedisCodec;
import org.jspecify.annotations.Nullable;

/**
 * What a Redis part with messages holds: one command connection ({@link RedisKeyspace}) and one
 * {@link ChannelSubscriber} on a connector, and the connector itself when the part owns it. Opening
 * it either succeeds whole or closes what it opened (and an owned connector); {@link #close()}
 * closes all of it. Thread-safe.
 *
 * @param <V> the value type of the command connection's codec
 */
public final class RedisSession<V> implements AutoCloseable {
  private final @Nullable RedisConnector ownedConnector;
  private final RedisKeyspace<V> keyspace;
  private final ChannelSubscriber subscriber;

  private RedisSession(
      @Nullable RedisConnector ownedConnector,
      RedisKeyspace<V> keyspace,
      ChannelSubscriber subscriber) {
    this.ownedConnector = ownedConnector;
    this.keyspace = keyspace;
    this.subscriber = subscriber;
  }

  /**
   * Opens the command connection and the subscriber.
   *
   * @param connector where Redis is
   * @param owned whether the session closes the connector (also when opening fails)
   * @param codec the command connection's codec
   * @param events what the subscriber reports to
   * @param <V> the value type
   * @return the open session
   */
  public static <V> RedisSession<V> open(
      RedisConnector connector,
      boolean owned,
      RedisCodec<String, V> codec,
      ChannelSubscriber.Events events) {
    RedisKeyspace<V> keyspace = null;
    try {
      keyspace = RedisKeyspace.open(connector, codec);
      return new RedisSession<>(
          owned ? connector : null, keyspace, ChannelSubscriber.open(connector, events));
    } catch (RuntimeException e) {
      if (keyspace != null) {
        keyspace.close();
      }
      if (owned) {
        connector.close();
      }
      throw e;
    }
  }

  /** The command connection. */
  public RedisKeyspace<V> keyspace() {
    return keyspace;
  }

  /** The subscriber. */
  public ChannelSubscriber subscriber() {
    return subscriber;
  }

  @Override
  public void close() {
    subscriber.close();
    keyspace.close();
    if (ownedConnector != null) {
      ownedConnector.close();
    }
  }
}
