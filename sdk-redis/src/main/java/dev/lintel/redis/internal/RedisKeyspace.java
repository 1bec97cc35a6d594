package dev.lintel.redis.internal;

import dev.lintel.health.HealthCheck;
import dev.lintel.redis.RedisConnector;
import dev.lintel.redis.health.RedisHealthCheck;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One command connection on a {@link RedisConnector}, standalone or cluster, seen through the
 * commands both share. On a cluster, key commands are routed by slot (multi-key {@code UNLINK}
 * split per slot by Lettuce), {@link #publish} is a sharded {@code SPUBLISH}, and {@link
 * #masters()} gives each master's own connection for per-node walks such as {@code SCAN}.
 * Thread-safe, as Lettuce connections are.
 *
 * @param <V> the value type of the codec
 */
public final class RedisKeyspace<V> implements AutoCloseable {
  private final StatefulConnection<String, V> connection;
  private final RedisClusterAsyncCommands<String, V> commands;
  private final RedisClusterCommands<String, V> sync;
  private final @Nullable StatefulRedisClusterConnection<String, V> cluster;
  private final HealthCheck health;
  private final TimeoutOptions timeouts;

  private RedisKeyspace(
      StatefulConnection<String, V> connection,
      RedisClusterAsyncCommands<String, V> commands,
      RedisClusterCommands<String, V> sync,
      @Nullable StatefulRedisClusterConnection<String, V> cluster,
      HealthCheck health,
      TimeoutOptions timeouts) {
    this.connection = connection;
    this.commands = commands;
    this.sync = sync;
    this.cluster = cluster;
    this.health = health;
    this.timeouts = timeouts;
  }

  /**
   * Opens a command connection.
   *
   * @param connector where to connect
   * @param codec how keys and values cross the wire
   * @param <V> the value type
   * @return the open connection
   */
  public static <V> RedisKeyspace<V> open(RedisConnector connector, RedisCodec<String, V> codec) {
    if (connector.clusterClient().isPresent()) {
      RedisClusterClient client = connector.clusterClient().get();
      StatefulRedisClusterConnection<String, V> c = client.connect(codec);
      return new RedisKeyspace<>(
          c,
          c.async(),
          c.sync(),
          c,
          RedisHealthCheck.using(c),
          client.getOptions().getTimeoutOptions());
    }
    RedisClient client = connector.standaloneClient().orElseThrow();
    StatefulRedisConnection<String, V> c = client.connect(codec);
    return new RedisKeyspace<>(
        c,
        c.async(),
        c.sync(),
        null,
        RedisHealthCheck.using(c),
        client.getOptions().getTimeoutOptions());
  }

  /** The commands, routed by slot on a cluster. */
  public RedisClusterAsyncCommands<String, V> commands() {
    return commands;
  }

  /** The same commands, blocking. */
  public RedisClusterCommands<String, V> sync() {
    return sync;
  }

  /** Sends a message and waits for Redis to take it: {@code SPUBLISH} on a cluster. */
  public long publishNow(String channel, V message) {
    Long receivers =
        cluster != null ? sync.spublish(channel, message) : sync.publish(channel, message);
    return receivers == null ? 0 : receivers;
  }

  /** True on a cluster. */
  public boolean isCluster() {
    return cluster != null;
  }

  /** Sends a message to a channel's subscribers: {@code SPUBLISH} on a cluster. */
  public RedisFuture<Long> publish(String channel, V message) {
    return cluster != null
        ? commands.spublish(channel, message)
        : commands.publish(channel, message);
  }

  /**
   * Returns the commands of each master as the client now sees the topology, by {@code host:port};
   * the only entry of a standalone Redis is {@code "standalone"}.
   *
   * @return the masters, in the order of the topology
   */
  public Map<String, RedisClusterAsyncCommands<String, V>> masters() {
    StatefulRedisClusterConnection<String, V> c = cluster;
    if (c == null) {
      return Map.of("standalone", commands);
    }
    Map<String, RedisClusterAsyncCommands<String, V>> masters = new LinkedHashMap<>();
    for (RedisClusterNode node : c.getPartitions()) {
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty()) {
        masters.put(
            node.getUri().getHost() + ":" + node.getUri().getPort(),
            c.getConnection(node.getNodeId()).async());
      }
    }
    return masters;
  }

  /**
   * Tells how long a command of this type may take on this connection before Lettuce fails it: the
   * client's command timeout when it sets one, else the connection's timeout (the longest the
   * blocking API waits). A blocking command ({@code XREADGROUP ... BLOCK}) must wait less.
   *
   * @param type the command, for a client whose timeout depends on it
   * @return the timeout, positive
   */
  public Duration commandTimeout(ProtocolKeyword type) {
    Duration timeout = connection.getTimeout();
    if (timeouts.isTimeoutCommands() && !timeouts.isApplyConnectionTimeout()) {
      TimeoutOptions.TimeoutSource source = timeouts.getSource();
      long fixed = source.getTimeout(new Command<>(type, null));
      if (fixed > 0) {
        timeout = Duration.ofNanos(source.getTimeUnit().toNanos(fixed));
      }
    }
    return timeout.isZero() || timeout.isNegative() ? Duration.ofDays(1) : timeout;
  }

  /** A {@code PING} check of this connection (see {@link RedisHealthCheck}). */
  public HealthCheck healthCheck() {
    return health;
  }

  /** True while the connection is open (connected, or on a cluster, usable). */
  public boolean isOpen() {
    return connection.isOpen();
  }

  @Override
  public void close() {
    connection.close();
  }
}
