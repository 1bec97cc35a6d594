package dev.lintel.redis.internal;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code SUBSCRIBE} on one pub/sub connection to a standalone Redis. Lettuce subscribes again after
 * a reconnect; a drop of the connection reports every channel lost at once, and the confirmation
 * after the reconnect reports it restored. A channel whose first {@code SUBSCRIBE} failed is sent
 * again on every reconnect until confirmed.
 */
final class StandaloneSubscriber implements ChannelSubscriber {
  private static final Logger log = LoggerFactory.getLogger(StandaloneSubscriber.class);

  private final StatefulRedisPubSubConnection<String, String> pubSub;
  private final Events events;
  private final Set<String> wanted = ConcurrentHashMap.newKeySet();
  private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private volatile boolean closing;

  StandaloneSubscriber(RedisClient client, Events events) {
    this.events = events;
    this.pubSub = client.connectPubSub();
    pubSub.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String channel, String message) {
            events.message(channel, message);
          }

          @Override
          public void subscribed(String channel, long count) {
            boolean wasPending = pending.remove(channel);
            if (wanted.contains(channel) && (!confirmed.add(channel) || wasPending)) {
              events.restored(channel); // messages sent before this confirmation were lost
            }
          }
        });
    pubSub.addListener(
        new RedisConnectionStateListener() {
          @Override
          public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
            for (String channel : pending) {
              pubSub.async().subscribe(channel);
            }
          }

          @Override
          public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
            if (closing) {
              return; // our own close, not a loss
            }
            log.warn("Pub/sub connection to Redis lost; messages may be missed until it is back");
            wanted.forEach(events::lost);
          }
        });
  }

  @Override
  public void subscribe(String channel) {
    wanted.add(channel);
    try {
      pubSub.sync().subscribe(channel);
    } catch (RuntimeException e) {
      pending.add(channel);
      throw e;
    }
  }

  @Override
  public void unsubscribe(String channel) {
    wanted.remove(channel);
    confirmed.remove(channel);
    pending.remove(channel);
    pubSub.async().unsubscribe(channel);
  }

  @Override
  public void close() {
    closing = true;
    pubSub.close();
  }
}
