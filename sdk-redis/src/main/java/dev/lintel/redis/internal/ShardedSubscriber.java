package dev.lintel.redis.internal;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sharded pub/sub on a Redis Cluster: each channel is subscribed with {@code SSUBSCRIBE} on the
 * master that owns its slot, over that node's own pub/sub connection.
 *
 * <p>Lettuce does not move sharded subscriptions to a new master after a failover or a slot move,
 * so this class does: a watchdog thread checks every {@value #CHECK_MILLIS} ms that each channel is
 * confirmed on the node that owns its slot now, over an open connection. A channel is reported lost
 * at once when its node connection drops, when the server unsubscribes it ({@code SUNSUBSCRIBE}, as
 * Redis does when the slot leaves the node) or when the topology names another owner; the watchdog
 * then refreshes the topology (at most once a second) and subscribes on the owner, and the
 * confirmation reports it restored.
 */
final class ShardedSubscriber implements ChannelSubscriber {
  private static final Logger log = LoggerFactory.getLogger(ShardedSubscriber.class);
  private static final long CHECK_MILLIS = 200;
  private static final long RETRY_NANOS = Duration.ofSeconds(2).toNanos();
  private static final long REFRESH_NANOS = Duration.ofSeconds(1).toNanos();

  /** One channel's subscription. */
  private static final class Subscription {
    volatile @Nullable String confirmedNode;
    volatile @Nullable StatefulRedisPubSubConnection<String, String> connection;
    volatile @Nullable String attemptedNode;
    volatile long attemptedAt;
    volatile boolean reportedLost;
  }

  private final RedisClusterClient client;
  private final StatefulRedisClusterPubSubConnection<String, String> pubSub;
  private final Events events;
  private final Map<String, Subscription> channels = new ConcurrentHashMap<>();
  private final ScheduledExecutorService watchdog;
  private final RedisConnectionStateListener drops;
  private volatile long refreshedAt = System.nanoTime() - REFRESH_NANOS;
  private volatile boolean closing;

  ShardedSubscriber(RedisClusterClient client, Events events) {
    this.client = client;
    this.events = events;
    this.pubSub = client.connectPubSub();
    pubSub.setNodeMessagePropagation(true);
    pubSub.addListener(
        new RedisClusterPubSubAdapter<>() {
          @Override
          public void smessage(RedisClusterNode node, String channel, String message) {
            if (channels.containsKey(channel)) {
              events.message(channel, message);
            }
          }

          @Override
          public void ssubscribed(RedisClusterNode node, String channel, long count) {
            confirmed(channel, node.getNodeId());
          }

          @Override
          public void sunsubscribed(RedisClusterNode node, String channel, long count) {
            Subscription sub = channels.get(channel);
            if (sub != null && node.getNodeId().equals(sub.confirmedNode)) {
              lost(channel, sub, "the server unsubscribed it (slot moved or failover)");
            }
          }
        });
    this.drops =
        new RedisConnectionStateListener() {
          @Override
          public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
            channels.forEach(
                (channel, sub) -> {
                  if (sub.connection == handler) {
                    lost(channel, sub, "its node connection dropped");
                  }
                });
          }
        };
    client.addListener(drops);
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "lintel-redis-sharded-subscriber");
              thread.setDaemon(true);
              return thread;
            });
    watchdog.scheduleWithFixedDelay(this::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void subscribe(String channel) {
    Subscription sub = channels.computeIfAbsent(channel, c -> new Subscription());
    RedisClusterNode owner = owner(channel);
    if (owner == null) {
      sub.reportedLost = true;
      throw new IllegalStateException("no master owns the slot of channel '" + channel + "' now");
    }
    try {
      StatefulRedisPubSubConnection<String, String> connection =
          pubSub.getConnection(owner.getNodeId());
      sub.connection = connection;
      sub.attemptedNode = owner.getNodeId();
      sub.attemptedAt = System.nanoTime();
      connection.sync().ssubscribe(channel);
      confirmed(channel, owner.getNodeId());
    } catch (RuntimeException e) {
      sub.reportedLost = true;
      throw e;
    }
  }

  @Override
  public void unsubscribe(String channel) {
    Subscription sub = channels.remove(channel);
    StatefulRedisPubSubConnection<String, String> connection = sub == null ? null : sub.connection;
    if (connection != null && connection.isOpen()) {
      connection.async().sunsubscribe(channel);
    }
  }

  private @Nullable RedisClusterNode owner(String channel) {
    return pubSub.getPartitions().getMasterBySlot(SlotHash.getSlot(channel));
  }

  private void confirmed(String channel, String nodeId) {
    Subscription sub = channels.get(channel);
    if (sub == null || !nodeId.equals(sub.attemptedNode)) {
      return;
    }
    synchronized (sub) {
      sub.confirmedNode = nodeId;
      if (!sub.reportedLost) {
        return;
      }
      sub.reportedLost = false;
    }
    log.info("Sharded subscription to '{}' restored on node {}", channel, nodeId);
    events.restored(channel);
  }

  private void lost(String channel, Subscription sub, String why) {
    if (closing) {
      return; // our own close, not a loss
    }
    synchronized (sub) {
      sub.confirmedNode = null;
      if (sub.reportedLost) {
        return;
      }
      sub.reportedLost = true;
    }
    log.warn("Sharded subscription to '{}' lost: {}; messages may be missed", channel, why);
    events.lost(channel);
  }

  /** The watchdog: every channel confirmed on its slot's owner over an open connection. */
  private void check() {
    try {
      channels.forEach(this::check);
    } catch (RuntimeException e) {
      log.debug("Sharded subscription check failed: {}", e.toString());
    }
  }

  private void check(String channel, Subscription sub) {
    RedisClusterNode owner = owner(channel);
    StatefulRedisPubSubConnection<String, String> connection = sub.connection;
    String ownerId = owner == null ? null : owner.getNodeId();
    boolean healthy =
        ownerId != null
            && ownerId.equals(sub.confirmedNode)
            && connection != null
            && connection.isOpen();
    if (healthy) {
      return;
    }
    if (sub.confirmedNode != null) {
      lost(channel, sub, "the topology names another owner of its slot");
    }
    refreshTopology();
    if (ownerId == null
        || (ownerId.equals(sub.attemptedNode)
            && System.nanoTime() - sub.attemptedAt < RETRY_NANOS)) {
      return; // an attempt on this owner is still waiting for its confirmation
    }
    try {
      StatefulRedisPubSubConnection<String, String> next = pubSub.getConnection(ownerId);
      sub.connection = next;
      sub.attemptedNode = ownerId;
      sub.attemptedAt = System.nanoTime();
      next.async().ssubscribe(channel);
    } catch (RuntimeException e) {
      log.debug("Could not subscribe to '{}' on node {} yet: {}", channel, ownerId, e.toString());
    }
  }

  private void refreshTopology() {
    long now = System.nanoTime();
    if (now - refreshedAt >= REFRESH_NANOS) {
      refreshedAt = now;
      client.refreshPartitionsAsync();
    }
  }

  @Override
  public void close() {
    closing = true;
    watchdog.shutdownNow();
    client.removeListener(drops);
    pubSub.close();
  }
}
