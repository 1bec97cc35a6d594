package dev.lintel.redis.shard;

import dev.lintel.Registration;
import dev.lintel.shard.ShardDirectory;
import dev.lintel.shard.ShardingException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ShardDirectory} in Redis: one hash per directory ({@code
 * <prefix>shard:directory:<name>}, field = key, value = shard id), and a channel of the same name
 * plus {@code :changes} on which every change announces its key.
 *
 * <pre>{@code
 * RedisShardDirectory tenants = RedisShardDirectory.using(redisClient, "tenants");
 * ShardDirectory cached = CachedShardDirectory.builder(tenants).build(); // coherent on every node
 * }</pre>
 *
 * <p>Guarantees: {@link #assign} and {@link #remove} change the hash and announce the key in one
 * Lua script, so no change goes unannounced; listeners on every node that uses the same directory
 * hear each changed key (on a thread of this directory), and hear null ("anything may have
 * changed") after a lost subscription is restored, so a {@link
 * dev.lintel.core.shard.CachedShardDirectory} in front of it stays coherent across nodes. The host
 * owns the client; {@link #close()} closes the connections this directory opened. Thread-safe.
 */
public final class RedisShardDirectory implements ShardDirectory, AutoCloseable {
  private static final String ASSIGN =
      "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])\n"
          + "redis.call('PUBLISH', KEYS[2], ARGV[1])\n"
          + "return 1";
  private static final String REMOVE =
      "local removed = redis.call('HDEL', KEYS[1], ARGV[1])\n"
          + "if removed == 1 then redis.call('PUBLISH', KEYS[2], ARGV[1]) end\n"
          + "return removed";

  private final String name;
  private final String hash;
  private final StatefulRedisConnection<String, String> connection;
  private final ChangeChannel changes;

  private RedisShardDirectory(RedisClient client, String name, String prefix) {
    this.name = name;
    this.hash = prefix + "shard:directory:" + name;
    this.connection = client.connect();
    this.changes = new ChangeChannel(client, hash + ":changes");
  }

  /**
   * Creates a directory on the host's client, with keys under {@code lintel:}.
   *
   * @param client the client; the host closes it
   * @param name the directory's name, as in the topology: 1 to 128 letters, digits, {@code . _ : -}
   * @return the directory
   * @throws IllegalArgumentException if the name is invalid
   */
  public static RedisShardDirectory using(RedisClient client, String name) {
    return using(client, name, "lintel:");
  }

  /**
   * Creates a directory on the host's client, with keys under a prefix.
   *
   * @param client the client; the host closes it
   * @param name the directory's name
   * @param prefix what the key and channel names start with
   * @return the directory
   * @throws IllegalArgumentException if the name is invalid
   */
  public static RedisShardDirectory using(RedisClient client, String name, String prefix) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(prefix, "prefix");
    ShardNames.check(name, "directory name");
    return new RedisShardDirectory(client, name, prefix);
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
    run(ASSIGN, "assign key '" + key + "' to shard '" + shardId + "'", key, shardId);
  }

  @Override
  public void remove(String key) {
    Objects.requireNonNull(key, "key");
    run(REMOVE, "remove key '" + key + "'", key);
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

  @Override
  public Registration onChange(Consumer<@Nullable String> listener) {
    return changes.listen(listener);
  }

  /** Closes the connections this directory opened (not the client). */
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
