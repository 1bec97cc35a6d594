package dev.lintel.redis.flags;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lintel.LintelException;
import dev.lintel.Registration;
import dev.lintel.core.flags.Flags;
import dev.lintel.flags.Flag;
import dev.lintel.flags.FlagStore;
import dev.lintel.redis.internal.LettuceClients;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flags in Redis, shared by every node: each flag is a field of one hash ({@code <prefix>flags}) as
 * JSON, and every change is announced on a channel ({@code <prefix>flags:changes}) so that every
 * node's {@link Flags} drops its local copy at once. When the subscription is restored after a
 * reconnect, listeners hear "everything may have changed" (null), since announcements sent
 * meanwhile were lost.
 *
 * <p>Its client fails commands at once while Redis is away, so an evaluation that needs Redis then
 * answers its fallback quickly; flags already cached keep answering from the local copy.
 *
 * <p>Thread-safe. {@link #close()} closes the store's connections and its client.
 */
public final class RedisFlagStore implements FlagStore, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisFlagStore.class);
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisCommands<String, String> commands;
  private final StatefulRedisPubSubConnection<String, String> pubSub;
  private final String hash;
  private final String channel;
  private final CopyOnWriteArrayList<Consumer<@Nullable String>> listeners =
      new CopyOnWriteArrayList<>();

  private RedisFlagStore(RedisClient client, String prefix) {
    this.client = client;
    this.hash = prefix + "flags";
    this.channel = prefix + "flags:changes";
    this.connection = client.connect();
    this.commands = connection.sync();
    this.pubSub = client.connectPubSub();
    AtomicBoolean subscribedOnce = new AtomicBoolean();
    pubSub.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String from, String flagName) {
            notifyListeners(flagName);
          }

          @Override
          public void subscribed(String to, long count) {
            if (!subscribedOnce.compareAndSet(false, true)) {
              log.info("Flag change subscription restored; dropping every cached flag");
              notifyListeners(null);
            }
          }
        });
    pubSub.sync().subscribe(channel);
  }

  /**
   * Connects to Redis with keys under {@code lintel:}.
   *
   * @param uri where Redis listens
   * @return the store
   */
  public static RedisFlagStore connect(RedisURI uri) {
    return connect(uri, "lintel:");
  }

  /**
   * Connects to Redis with keys under the given prefix.
   *
   * @param uri where Redis listens
   * @param prefix the prefix of the hash and channel names
   * @return the store
   */
  public static RedisFlagStore connect(RedisURI uri, String prefix) {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(prefix, "prefix");
    RedisClient client = LettuceClients.failFast(uri);
    try {
      return new RedisFlagStore(client, prefix);
    } catch (RuntimeException e) {
      client.shutdown();
      throw e;
    }
  }

  @Override
  public @Nullable Flag get(String name) {
    String json;
    try {
      json = commands.hget(hash, name);
    } catch (RuntimeException e) {
      throw new LintelException("Reading flag '" + name + "' from Redis failed", e);
    }
    if (json == null) {
      return null;
    }
    try {
      return JSON.readValue(json, Flag.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new LintelException(
          "Flag '" + name + "' in Redis is not a valid definition: " + json, e);
    }
  }

  @Override
  public void put(Flag flag) {
    Objects.requireNonNull(flag, "flag");
    String json;
    try {
      json = JSON.writeValueAsString(flag);
    } catch (IOException e) {
      throw new LintelException("Flag '" + flag.name() + "' cannot be written as JSON", e);
    }
    commands.hset(hash, flag.name(), json);
    commands.publish(channel, flag.name());
  }

  @Override
  public void remove(String name) {
    Objects.requireNonNull(name, "name");
    commands.hdel(hash, name);
    commands.publish(channel, name);
  }

  @Override
  public Registration onChange(Consumer<@Nullable String> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> listeners.remove(listener);
  }

  private void notifyListeners(@Nullable String flagName) {
    for (Consumer<@Nullable String> listener : listeners) {
      try {
        listener.accept(flagName);
      } catch (RuntimeException e) {
        log.warn("A flag change listener failed", e);
      }
    }
  }

  @Override
  public void close() {
    pubSub.close();
    connection.close();
    client.shutdown();
  }
}
