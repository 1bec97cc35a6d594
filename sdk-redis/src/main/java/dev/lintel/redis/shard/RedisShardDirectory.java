package dev.lintel.redis.shard;

import dev.lintel.Registration;
import dev.lintel.redis.RedisConnector;
import dev.lintel.redis.internal.RedisKeyspace;
import dev.lintel.shard.ShardDirectory;
import dev.lintel.shard.ShardingException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.codec.StringCodec;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ShardDirectory} in Redis, standalone or Redis Cluster (see {@link RedisConnector}).
 *
 * <p>Keys, the same on both: one hash per directory, {@code {<prefix>shard:directory:<name>}} (the
 * whole name a hash tag; field = key, value = shard id), and the channel {@code
 * {<prefix>shard:directory:<name>}:changes} on which every change announces its key. The hash tag
 * puts both in one cluster slot.
 *
 * <pre>{@code
 * RedisShardDirectory tenants = RedisShardDirectory.using(connector, "tenants");
 * ShardDirectory cached = CachedShardDirectory.builder(tenants).build(); // coherent on every node
 * }</pre>
 *
 * <p>Guarantees: {@link #assign} and {@link #remove} change the hash and announce the key in one
 * Lua script ({@code PUBLISH} on a standalone Redis, sharded {@code SPUBLISH} on a cluster), so no
 * change goes unannounced; listeners on every node that uses the same directory hear each changed
 * key (on a thread of this directory), and hear null ("anything may have changed") after a lost
 * subscription is restored (a reconnect, or on a cluster a failover or slot move), so a {@link
 * dev.lintel.core.shard.CachedShardDirectory} in front of it stays coherent across nodes. The host
 * owns the connector; {@link #close()} closes the connections this directory opened. Thread-safe.
 */
public final class RedisShardDirectory implements ShardDirectory, AutoCloseable {
  private static final String CHANNEL_SUFFIX = ":changes";

  private final String name;
  private final String hash;
  private final String assignScript;
  private final String removeScript;
  private final RedisKeyspace<String> connection;
  private final ChangeChannel changes;

  private RedisShardDirectory(RedisConnector connector, String name, String prefix) {
    this.name = name;
    this.hash = ShardNames.hash(prefix, "directory", name, CHANNEL_SUFFIX);
    String publish = connector.isCluster() ? "SPUBLISH" : "PUBLISH";
    this.assignScript =
        "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])\n"
            + "redis.call('"
            + publish
            + "', KEYS[2], ARGV[1])\n"
            + "return 1";
    this.removeScript =
        "local removed = redis.call('HDEL', KEYS[1], ARGV[1])\n"
            + "if removed == 1 then redis.call('"
            + publish
            + "', KEYS[2], ARGV[1]) end\n"
            + "return removed";
    this.connection = RedisKeyspace.open(connector, StringCodec.UTF8);
    this.changes = new ChangeChannel(connector, hash + CHANNEL_SUFFIX);
  }

  /**
   * Opens a directory on the host's connector, with keys under {@code lintel:}.
   *
   * @param connector a standalone Redis or a cluster; the host closes it
   * @param name the directory's name, as in the topology: 1 to 128 letters, digits, {@code . _ : -}
   * @return the directory
   * @throws IllegalArgumentException if the name is invalid
   */
  public static RedisShardDirectory using(RedisConnector connector, String name) {
    return using(connector, name, "lintel:");
  }

  /**
   * Opens a directory on the host's connector, with keys under a prefix.
   *
   * @param connector a standalone Redis or a cluster; the host closes it
   * @param name the directory's name
   * @param prefix what the names inside the hash tag start with; not starting with a closing brace
   * @return the directory
   * @throws IllegalArgumentException if the name or prefix is invalid
   */
  public static RedisShardDirectory using(RedisConnector connector, String name, String prefix) {
    Objects.requireNonNull(connector, "connector");
    Objects.requireNonNull(prefix, "prefix");
    ShardNames.check(name, "directory name");
    return new RedisShardDirectory(connector, name, prefix);
  }

  @Override
  public @Nullable String shardOf(String key) {
    Objects.requireNonNull(key, "key");
    try {
      return connection.sync().hget(hash, key);
    } catch (RuntimeException e) {
      throw new ShardingException(
          "cannot look key '" + key + "' up in directory '" + name + "' (Redis " + hash + ")", e);
    }
  }

  @Override
  public void assign(String key, String shardId) {
    if (Objects.requireNonNull(key, "key").isEmpty()) {
      throw new IllegalArgumentException("a key of directory '" + name + "' must not be empty");
    }
    if (Objects.requireNonNull(shardId, "shardId").isBlank()) {
      throw new IllegalArgumentException(
          "key '" + key + "' of directory '" + name + "' needs a shard id");
    }
    run(assignScript, "assign key '" + key + "' to shard '" + shardId + "'", key, shardId);
  }

  @Override
  public void remove(String key) {
    Objects.requireNonNull(key, "key");
    run(removeScript, "remove key '" + key + "'", key);
  }

  private void run(String script, String what, String... arguments) {
    try {
      connection
          .sync()
          .eval(script, ScriptOutputType.INTEGER, new String[] {hash, changes.name()}, arguments);
    } catch (RuntimeException e) {
      throw new ShardingException("cannot " + what + " in directory '" + name + "'", e);
    }
  }

  /** Reads the whole hash ({@code HGETALL}): for plans and audits, not for routing. */
  @Override
  public Map<String, String> entries() {
    try {
      return Map.copyOf(connection.sync().hgetall(hash));
    } catch (RuntimeException e) {
      throw new ShardingException("cannot list directory '" + name + "'", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws ShardingException if this is the first listener and the subscription cannot be made now
   */
  @Override
  public Registration onChange(Consumer<@Nullable String> listener) {
    return changes.listen(listener);
  }

  /** Closes the connections this directory opened (not the connector). */
  @Override
  public void close() {
    changes.close();
    connection.close();
  }

  @Override
  public String toString() {
    return "RedisShardDirectory[" + hash + "]";
  }
}
