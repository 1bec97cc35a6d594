package dev.lintel.redis.internal;

import dev.lintel.redis.RedisConnector;
import java.util.Optional;

/**
 * Subscriptions to channels on a {@link RedisConnector}: {@code SUBSCRIBE} on a standalone Redis,
 * sharded {@code SSUBSCRIBE} on a cluster, kept alive across reconnects, failovers and slot moves.
 * It reports each channel's state: {@link Events#lost} as soon as messages may be missed, {@link
 * Events#restored} once the subscription is confirmed again. Thread-safe.
 */
public interface ChannelSubscriber extends AutoCloseable {

  /** What a subscriber reports; called from Lettuce's or the subscriber's own threads. */
  interface Events {
    /** A message arrived on a channel. */
    void message(String channel, String message);

    /** The subscription of a channel was lost: messages may be missed until it is restored. */
    void lost(String channel);

    /** The subscription of a channel, lost before, is confirmed again. */
    void restored(String channel);
  }

  /**
   * Opens a subscriber for the connector's kind of Redis.
   *
   * @param connector where to subscribe
   * @param events receives messages and state changes
   * @return the subscriber
   */
  static ChannelSubscriber open(RedisConnector connector, Events events) {
    Optional<io.lettuce.core.cluster.RedisClusterClient> cluster = connector.clusterClient();
    return cluster.isPresent()
        ? new ShardedSubscriber(cluster.get(), events)
        : new StandaloneSubscriber(connector.standaloneClient().orElseThrow(), events);
  }

  /**
   * Subscribes to a channel and waits for the confirmation.
   *
   * @throws RuntimeException if it cannot be confirmed now; the subscriber keeps trying, and
   *     reports {@link Events#restored} when it succeeds
   */
  void subscribe(String channel);

  /** Unsubscribes from a channel; nothing more is reported for it. */
  void unsubscribe(String channel);

  @Override
  void close();
}
