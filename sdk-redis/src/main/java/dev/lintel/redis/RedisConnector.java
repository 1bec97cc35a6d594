package dev.lintel.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Where Lintel's Redis parts connect: one standalone Redis ({@link RedisClient}) or a Redis Cluster
 * ({@link RedisClusterClient}). Every Redis part takes a connector, so none of them needs its own
 * Lettuce type; each opens its own connections on it.
 *
 * <pre>{@code
 * RedisConnector redis = RedisConnector.cluster(RedisURI.create("redis://10.0.0.5:7000"))
 *     .reconnectDelay(Duration.ofMillis(500))
 *     .connect();
 * RedisCacheStore store = RedisCacheStore.using(redis);
 * }</pre>
 *
 * <p>A connector made by {@link #standalone(RedisURI)} or {@link #cluster(RedisURI...)} owns its
 * client: a standalone one fails commands at once while disconnected (instead of queueing them); a
 * cluster one queues them while a node connection (re)connects, as node connections open lazily;
 * both time commands out after {@code commandTimeout}, reconnects with an exponential delay capped
 * at {@code reconnectDelay} and, on a cluster, refreshes its view of the topology periodically and
 * on redirects and reconnects. {@link #close()} shuts that client down. A connector made by {@code
 * using(client)} wraps the host's client, whose options apply, and never closes it.
 *
 * <p>Immutable and thread-safe.
 */
public final class RedisConnector implements AutoCloseable {
  private final @Nullable RedisClient standalone;
  private final @Nullable RedisClusterClient cluster;
  private final @Nullable ClientResources ownedResources;
  private final String description;

  private RedisConnector(
      @Nullable RedisClient standalone,
      @Nullable RedisClusterClient cluster,
      @Nullable ClientResources ownedResources,
      String description) {
    this.standalone = standalone;
    this.cluster = cluster;
    this.ownedResources = ownedResources;
    this.description = description;
  }

  /**
   * Wraps the host's standalone client; closing the connector leaves it open.
   *
   * @param client the host's client
   * @return the connector
   */
  public static RedisConnector using(RedisClient client) {
    return new RedisConnector(Objects.requireNonNull(client, "client"), null, null, "standalone");
  }

  /**
   * Wraps the host's cluster client; closing the connector leaves it open. For failover safety the
   * client should refresh its topology (Lettuce {@code ClusterTopologyRefreshOptions}).
   *
   * @param client the host's client
   * @return the connector
   */
  public static RedisConnector using(RedisClusterClient client) {
    return new RedisConnector(null, Objects.requireNonNull(client, "client"), null, "cluster");
  }

  /**
   * Starts a connector to one standalone Redis with a client of its own.
   *
   * @param uri where Redis listens
   * @return a builder
   */
  public static Builder standalone(RedisURI uri) {
    return new Builder(List.of(Objects.requireNonNull(uri, "uri")), false);
  }

  /**
   * Starts a connector to a Redis Cluster with a client of its own.
   *
   * @param seeds one or more nodes of the cluster to learn the topology from
   * @return a builder
   * @throws IllegalArgumentException if no seed is given
   */
  public static Builder cluster(RedisURI... seeds) {
    if (seeds.length == 0) {
      throw new IllegalArgumentException("a Redis Cluster connector needs at least one seed node");
    }
    return new Builder(List.of(seeds), true);
  }

  /**
   * Tells whether this connector reaches a Redis Cluster.
   *
   * @return true for a cluster, false for a standalone Redis
   */
  public boolean isCluster() {
    return cluster != null;
  }

  /**
   * Returns the standalone client.
   *
   * @return the client, or empty for a cluster
   */
  public Optional<RedisClient> standaloneClient() {
    return Optional.ofNullable(standalone);
  }

  /**
   * Returns the cluster client.
   *
   * @return the client, or empty for a standalone Redis
   */
  public Optional<RedisClusterClient> clusterClient() {
    return Optional.ofNullable(cluster);
  }

  /** Shuts the client down if this connector created it; otherwise does nothing. Idempotent. */
  @Override
  public void close() {
    ClientResources resources = ownedResources;
    if (resources == null) {
      return;
    }
    if (standalone != null) {
      standalone.shutdown();
    }
    if (cluster != null) {
      cluster.shutdown();
    }
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  @Override
  public String toString() {
    return "RedisConnector{" + description + (ownedResources != null ? ", owned" : "") + "}";
  }

  /**
   * Builds a connector with a client of its own. Each setter validates at once. Not thread-safe.
   */
  public static final class Builder {
    private final List<RedisURI> uris;
    private final boolean cluster;
    private Duration reconnectDelay = Duration.ofSeconds(1);
    private Duration commandTimeout = Duration.ofSeconds(2);
    private Duration topologyRefresh = Duration.ofSeconds(5);

    private Builder(List<RedisURI> uris, boolean cluster) {
      this.uris = uris;
      this.cluster = cluster;
    }

    /**
     * Caps the delay between reconnect attempts; 1 s by default. Attempts start 10 ms after a drop
     * and double up to the cap, so a Redis that comes back is found again within about the cap.
     * While disconnected, the tiered cache bypasses L1 past its stale window: a shorter cap
     * shortens that time.
     *
     * @param max the longest wait between attempts; at least 10 ms
     * @return this builder
     * @throws IllegalArgumentException if below 10 ms
     */
    public Builder reconnectDelay(Duration max) {
      Objects.requireNonNull(max, "max");
      if (max.compareTo(Duration.ofMillis(10)) < 0) {
        throw new IllegalArgumentException("reconnect delay must be at least 10 ms but was " + max);
      }
      this.reconnectDelay = max;
      return this;
    }

    /**
     * Sets how long a command may take before Lettuce fails it; 2 s by default.
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = positive(timeout, "command timeout");
      return this;
    }

    /**
     * Sets how often a cluster connector re-reads the topology besides the adaptive refreshes on
     * redirects and reconnects; 5 s by default. Ignored for a standalone Redis.
     *
     * @param period positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder topologyRefresh(Duration period) {
      this.topologyRefresh = positive(period, "topology refresh period");
      return this;
    }

    /**
     * Creates the client. A cluster client reads the topology here.
     *
     * @return the connector
     * @throws io.lettuce.core.RedisException if a cluster's topology cannot be read now
     */
    public RedisConnector connect() {
      ClientResources resources =
          ClientResources.builder()
              .reconnectDelay(
                  Delay.exponential(
                      Duration.ofMillis(10), reconnectDelay, 2, TimeUnit.MILLISECONDS))
              .build();
      TimeoutOptions timeouts = TimeoutOptions.enabled(commandTimeout);
      try {
        if (!cluster) {
          RedisClient client = RedisClient.create(resources, uris.get(0));
          client.setOptions(
              ClientOptions.builder()
                  .autoReconnect(true)
                  .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                  .timeoutOptions(timeouts)
                  .build());
          return new RedisConnector(client, null, resources, "standalone " + uris.get(0));
        }
        RedisClusterClient client = RedisClusterClient.create(resources, uris);
        // Not REJECT_COMMANDS: node connections open lazily, and a command sent while one is still
        // connecting would be refused. The command timeout bounds the wait instead.
        client.setOptions(
            ClusterClientOptions.builder()
                .autoReconnect(true)
                .timeoutOptions(timeouts)
                .topologyRefreshOptions(
                    ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(topologyRefresh)
                        .adaptiveRefreshTriggersTimeout(Duration.ofMillis(100))
                        .build())
                .build());
        client.getPartitions(); // reads the topology now: a wrong seed fails here
        return new RedisConnector(null, client, resources, "cluster " + uris);
      } catch (RuntimeException e) {
        resources.shutdown(0, 2, TimeUnit.SECONDS);
        throw e;
      }
    }

    private static Duration positive(Duration duration, String what) {
      Objects.requireNonNull(duration, what);
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(what + " must be positive but was " + duration);
      }
      return duration;
    }
  }
}
