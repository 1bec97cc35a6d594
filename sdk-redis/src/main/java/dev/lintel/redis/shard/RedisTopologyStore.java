package dev.lintel.redis.shard;

import dev.lintel.Registration;
import dev.lintel.core.shard.TopologyJson;
import dev.lintel.redis.RedisConnector;
import dev.lintel.redis.internal.RedisKeyspace;
import dev.lintel.shard.ShardingException;
import dev.lintel.shard.Topology;
import dev.lintel.shard.TopologyStore;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.codec.StringCodec;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TopologyStore} in Redis, standalone or Redis Cluster (see {@link RedisConnector}).
 *
 * <p>Keys, the same on both: one hash per keyspace, {@code {<prefix>shard:topology:<keyspace>}}
 * (the whole name a hash tag), with the fields {@code version} and {@code topology} (the JSON of
 * {@link TopologyJson}), and the channel {@code {<prefix>shard:topology:<keyspace>}:published} on
 * which each publication announces its version. The hash tag puts both in one cluster slot.
 *
 * <pre>{@code
 * RedisTopologyStore store = RedisTopologyStore.using(connector, "accounts");
 * TopologyWatcher<Long> watcher = TopologyWatcher.start(store, routers, Duration.ofSeconds(30));
 * store.onPublish(watcher::refresh);   // switch at once, poll as a safety net
 * }</pre>
 *
 * <p>Publishing is a compare-and-set in one Lua script (read the version, write only if the new one
 * is higher, announce it), so of two nodes publishing at once exactly one succeeds and a version is
 * never replaced by a lower one; the loser gets a {@link ShardingException} naming both versions.
 * The announcement is a {@code PUBLISH} on a standalone Redis and a sharded {@code SPUBLISH} on a
 * cluster, where the script runs on the master of the slot and the subscription follows that slot
 * across failovers. Listeners run on a thread of the store, once per announcement and once after a
 * lost subscription is restored. The host owns the connector; {@link #close()} closes the
 * connections this store opened. Thread-safe.
 */
public final class RedisTopologyStore implements TopologyStore, AutoCloseable {
  private static final String CHANNEL_SUFFIX = ":published";

  private final String keyspace;
  private final String key;
  private final String script;
  private final RedisKeyspace<String> connection;
  private final ChangeChannel published;

  private RedisTopologyStore(RedisConnector connector, String keyspace, String prefix) {
    this.keyspace = keyspace;
    this.key = ShardNames.hash(prefix, "topology", keyspace, CHANNEL_SUFFIX);
    this.script =
        "local current = redis.call('HGET', KEYS[1], 'version')\n"
            + "if current and tonumber(current) >= tonumber(ARGV[1]) then"
            + " return tonumber(current) end\n"
            + "redis.call('HSET', KEYS[1], 'version', ARGV[1], 'topology', ARGV[2])\n"
            + "redis.call('"
            + (connector.isCluster() ? "SPUBLISH" : "PUBLISH")
            + "', KEYS[2], ARGV[1])\n"
            + "return -1";
    this.connection = RedisKeyspace.open(connector, StringCodec.UTF8);
    this.published = new ChangeChannel(connector, key + CHANNEL_SUFFIX);
  }

  /**
   * Opens a store on the host's connector, with keys under {@code lintel:}.
   *
   * @param connector a standalone Redis or a cluster; the host closes it
   * @param keyspace 1 to 128 letters, digits, {@code . _ : -}
   * @return the store
   * @throws IllegalArgumentException if the keyspace is invalid
   */
  public static RedisTopologyStore using(RedisConnector connector, String keyspace) {
    return using(connector, keyspace, "lintel:");
  }

  /**
   * Opens a store on the host's connector, with keys under a prefix.
   *
   * @param connector a standalone Redis or a cluster; the host closes it
   * @param keyspace 1 to 128 letters, digits, {@code . _ : -}
   * @param prefix what the names inside the hash tag start with; not starting with a closing brace
   * @return the store
   * @throws IllegalArgumentException if the keyspace or prefix is invalid
   */
  public static RedisTopologyStore using(RedisConnector connector, String keyspace, String prefix) {
    Objects.requireNonNull(connector, "connector");
    Objects.requireNonNull(prefix, "prefix");
    ShardNames.check(keyspace, "keyspace");
    return new RedisTopologyStore(connector, keyspace, prefix);
  }

  @Override
  public @Nullable Topology current() {
    String json;
    try {
      json = connection.sync().hget(key, "topology");
    } catch (RuntimeException e) {
      throw new ShardingException(
          "cannot read the topology of keyspace '" + keyspace + "' from Redis key " + key, e);
    }
    return json == null ? null : TopologyJson.read(json);
  }

  @Override
  public void publish(Topology topology) {
    Objects.requireNonNull(topology, "topology");
    Long current;
    try {
      current =
          connection
              .sync()
              .eval(
                  script,
                  ScriptOutputType.INTEGER,
                  new String[] {key, published.name()},
                  Long.toString(topology.version()),
                  TopologyJson.write(topology));
    } catch (RuntimeException e) {
      throw new ShardingException(
          "cannot publish topology v" + topology.version() + " of keyspace '" + keyspace + "'", e);
    }
    if (current != null && current >= 0) {
      throw new ShardingException(
          "cannot publish topology v"
              + topology.version()
              + " of keyspace '"
              + keyspace
              + "': v"
              + current
              + " is current and versions only grow");
    }
  }

  /**
   * Runs an action whenever a topology is published by any node (and after a lost subscription is
   * restored), on a thread of this store: typically {@code watcher::refresh}.
   *
   * @param action the action; it may block
   * @return stops listening
   * @throws ShardingException if this is the first listener and the subscription cannot be made now
   */
  public Registration onPublish(Runnable action) {
    Objects.requireNonNull(action, "action");
    return published.listen(version -> action.run());
  }

  /** Closes the connections this store opened (not the connector). */
  @Override
  public void close() {
    published.close();
    connection.close();
  }

  @Override
  public String toString() {
    return "RedisTopologyStore[" + key + "]";
  }
}
