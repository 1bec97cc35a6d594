package dev.lintel.redis.flags;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lintel.LintelException;
import dev.lintel.Registration;
import dev.lintel.core.flags.Flags;
import dev.lintel.flags.Flag;
import dev.lintel.flags.FlagStore;
import dev.lintel.redis.RedisConnector;
import dev.lintel.redis.internal.ChannelSubscriber;
import dev.lintel.redis.internal.RedisKeyspace;
import dev.lintel.redis.internal.RedisSession;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * <p>On a Redis Cluster (see {@link RedisConnector}) the hash lives on the master of its slot and
 * changes travel over sharded pub/sub, re-subscribed after failovers.
 *
 * <p>Thread-safe. {@link #close()} closes the store's connections, and its connector if it owns it.
 */
public final class RedisFlagStore implements FlagStore, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisFlagStore.class);
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final RedisSession<String> session;
  private final RedisKeyspace<String> keyspace;
  private final RedisClusterCommands<String, String> commands;
  private final String hash;
  private final String channel;
  private final CopyOnWriteArrayList<Consumer<@Nullable String>> listeners =
      new CopyOnWriteArrayList<>();

  private RedisFlagStore(RedisConnector connector, boolean owned, String prefix) {
    this.hash = prefix + "flags";
    this.channel = prefix + "flags:changes";
    this.session =
        RedisSession.open(
            connector,
            owned,
            StringCodec.UTF8,
            new ChannelSubscriber.Events() {
              @Override
              public void message(String from, String flagName) {
                notifyListeners(flagName);
              }

              @Override
              public void lost(String from) {
                log.warn("Flag change subscription lost; changes may be missed until it is back");
              }

              @Override
              public void restored(String from) {
                log.info("Flag change subscription restored; dropping every cached flag");
                notifyListeners(null);
              }
            });
    this.keyspace = session.keyspace();
    this.commands = keyspace.sync();
    try {
      session.subscriber().subscribe(channel);
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
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
    return connect(RedisConnector.standalone(uri).connect(), prefix);
  }

  /**
   * Opens the store on a connector (standalone or cluster) it then owns: closing the store closes
   * the connector. On a cluster, changes are announced with sharded pub/sub.
   *
   * @param connector where Redis is
   * @param prefix the prefix of the hash and channel names
   * @return the store
   */
  public static RedisFlagStore connect(RedisConnector connector, String prefix) {
    Objects.requireNonNull(connector, "connector");
    Objects.requireNonNull(prefix, "prefix");
    return new RedisFlagStore(connector, true, prefix);
  }

  /**
   * Opens the store on the host's connector (standalone or cluster); closing the store leaves it
   * open.
   *
   * @param connector where Redis is
   * @param prefix the prefix of the hash and channel names
   * @return the store
   */
  public static RedisFlagStore using(RedisConnector connector, String prefix) {
    return new RedisFlagStore(
        Objects.requireNonNull(connector, "connector"),
        false,
        Objects.requireNonNull(prefix, "prefix"));
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
    keyspace.publishNow(channel, flag.name());
  }

  @Override
  public void remove(String name) {
    Objects.requireNonNull(name, "name");
    commands.hdel(hash, name);
    keyspace.publishNow(channel, name);
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
    session.close();
  }
}
