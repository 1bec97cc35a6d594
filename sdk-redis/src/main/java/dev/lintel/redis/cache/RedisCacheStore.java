package dev.lintel.redis.cache;

import dev.lintel.Registration;
import dev.lintel.cache.RemoteCacheStore;
import dev.lintel.health.HealthCheck;
import dev.lintel.redis.health.RedisHealthCheck;
import dev.lintel.redis.internal.LettuceClients;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared cache level on Redis through Lettuce: one connection for commands (pipelined, shared
 * by every cache that uses this store) and one for pub/sub.
 *
 * <pre>{@code
 * RedisCacheStore redis = RedisCacheStore.connect(RedisURI.create("redis://127.0.0.1:6379"));
 * TieredCache<Long, User> users = TieredCache.builder("users", KeyCodec.longs(), User.class)
 *     .config(TieredCacheConfig.custom().l2Ttl(Duration.ofHours(1)).build())
 *     .l2(redis)
 *     .build();
 * }</pre>
 *
 * <ul>
 *   <li>Locks are {@code SET key token NX PX ttl}, released by a Lua compare-and-delete so that
 *       only their holder can release them.
 *   <li>{@link #deleteMatching} walks the key space with {@code SCAN MATCH COUNT} and deletes each
 *       page with {@code UNLINK}: it never sends {@code KEYS} and never blocks the server for long.
 *   <li>Subscriptions survive reconnects (Lettuce subscribes again). When the pub/sub connection
 *       drops, every channel's listeners hear {@link RemoteCacheStore.Listener#onDisconnect()} at
 *       once; when the subscription of a channel is confirmed again after a reconnect, they hear
 *       {@link RemoteCacheStore.Listener#onReconnect()}, since messages sent meanwhile were lost.
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} closes the connections, and the client if the store created it.
 */
public final class RedisCacheStore implements RemoteCacheStore {
  private static final Logger log = LoggerFactory.getLogger(RedisCacheStore.class);
  private static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
  private static final String UNLOCK =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0"
          + " end";
  private static final int SCAN_COUNT = 1_000;

  private final @Nullable RedisClient ownedClient;
  private final StatefulRedisConnection<String, byte[]> connection;
  private final RedisAsyncCommands<String, byte[]> commands;
  private final StatefulRedisPubSubConnection<String, String> pubSub;
  private final ConcurrentHashMap<String, CopyOnWriteArrayList<Listener>> listeners =
      new ConcurrentHashMap<>();
  private final Set<String> confirmedChannels = ConcurrentHashMap.newKeySet();

  /**
   * Channels whose SUBSCRIBE failed (Redis away); sent again on every reconnect until confirmed.
   */
  private final Set<String> pendingChannels = ConcurrentHashMap.newKeySet();

  private RedisCacheStore(RedisClient client, boolean owned) {
    this.ownedClient = owned ? client : null;
    this.connection = client.connect(CODEC);
    this.commands = connection.async();
    try {
      this.pubSub = client.connectPubSub();
    } catch (RuntimeException e) {
      connection.close();
      throw e;
    }
    pubSub.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String channel, String message) {
            deliver(channel, message);
          }

          @Override
          public void subscribed(String channel, long count) {
            boolean wasPending = pendingChannels.remove(channel);
            if (!confirmedChannels.add(channel) || wasPending) {
              reconnected(channel); // messages sent before this confirmation were lost
            }
          }
        });
    pubSub.addListener(
        new RedisConnectionStateListener() {
          @Override
          public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
            for (String channel : pendingChannels) {
              pubSub.async().subscribe(channel);
            }
          }

          @Override
          public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
            log.warn(
                "Pub/sub connection to Redis lost; invalidations may be missed until it is back");
            listeners.forEach((channel, channelListeners) -> disconnected(channel));
          }
        });
  }

  /**
   * Connects to Redis with a client of the store's own, set up to fail commands at once while
   * disconnected (instead of queueing them) and to reconnect in the background.
   *
   * @param uri where Redis listens
   * @return the store
   * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached now
   */
  public static RedisCacheStore connect(RedisURI uri) {
    Objects.requireNonNull(uri, "uri");
    RedisClient client = LettuceClients.failFast(uri);
    try {
      return new RedisCacheStore(client, true);
    } catch (RuntimeException e) {
      client.shutdown();
      throw e;
    }
  }

  /**
   * Opens the store's connections on the host's client; closing the store leaves the client open.
   * The client's options apply: with the default ones, commands sent while disconnected wait in
   * Lettuce's queue (the cache's timeout still bounds each call).
   *
   * @param client the host's client
   * @return the store
   */
  public static RedisCacheStore using(RedisClient client) {
    return new RedisCacheStore(Objects.requireNonNull(client, "client"), false);
  }

  @Override
  public CompletableFuture<byte @Nullable []> get(String key) {
    return commands.get(key).toCompletableFuture();
  }

  @Override
  public CompletableFuture<List<byte @Nullable []>> getAll(List<String> keys) {
    List<RedisFuture<byte[]>> replies = new ArrayList<>(keys.size());
    for (String key : keys) {
      replies.add(commands.get(key)); // written at once: one pipelined round trip for all
    }
    return CompletableFuture.allOf(
            replies.stream()
                .map(RedisFuture::toCompletableFuture)
                .toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              List<byte @Nullable []> values = new ArrayList<>(replies.size());
              for (RedisFuture<byte[]> reply : replies) {
                values.add(reply.toCompletableFuture().join());
              }
              return values;
            });
  }

  @Override
  public CompletableFuture<Void> set(String key, byte[] value, Duration ttl) {
    return commands
        .set(key, value, SetArgs.Builder.px(Math.max(1, ttl.toMillis())))
        .toCompletableFuture()
        .thenApply(ok -> null);
  }

  @Override
  public CompletableFuture<Void> delete(Collection<String> keys) {
    if (keys.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return commands.unlink(keys.toArray(String[]::new)).toCompletableFuture().thenApply(n -> null);
  }

  @Override
  public CompletableFuture<Long> deleteMatching(String pattern) {
    CompletableFuture<Long> result = new CompletableFuture<>();
    scanAndUnlink(
        ScanCursor.INITIAL, ScanArgs.Builder.matches(pattern).limit(SCAN_COUNT), 0, result);
    return result;
  }

  /** One page: SCAN, then UNLINK what it found, then the next page from the reply's cursor. */
  private void scanAndUnlink(
      ScanCursor cursor, ScanArgs args, long deletedSoFar, CompletableFuture<Long> result) {
    commands
        .scan(cursor, args)
        .whenComplete(
            (KeyScanCursor<String> page, Throwable scanError) -> {
              if (scanError != null) {
                result.completeExceptionally(scanError);
                return;
              }
              List<String> keys = page.getKeys();
              CompletableFuture<Long> unlinked =
                  keys.isEmpty()
                      ? CompletableFuture.completedFuture(0L)
                      : commands.unlink(keys.toArray(String[]::new)).toCompletableFuture();
              unlinked.whenComplete(
                  (count, unlinkError) -> {
                    if (unlinkError != null) {
                      result.completeExceptionally(unlinkError);
                    } else if (page.isFinished()) {
                      result.complete(deletedSoFar + count);
                    } else {
                      scanAndUnlink(page, args, deletedSoFar + count, result);
                    }
                  });
            });
  }

  @Override
  public CompletableFuture<Boolean> tryLock(String key, String token, Duration ttl) {
    return commands
        .set(
            key,
            token.getBytes(StandardCharsets.UTF_8),
            SetArgs.Builder.nx().px(Math.max(1, ttl.toMillis())))
        .toCompletableFuture()
        .thenApply("OK"::equals);
  }

  @Override
  public CompletableFuture<Boolean> unlock(String key, String token) {
    RedisFuture<Long> released =
        commands.eval(
            UNLOCK,
            ScriptOutputType.INTEGER,
            new String[] {key},
            token.getBytes(StandardCharsets.UTF_8));
    return released.toCompletableFuture().thenApply(count -> count == 1L);
  }

  @Override
  public CompletableFuture<Void> publish(String channel, String message) {
    return commands
        .publish(channel, message.getBytes(StandardCharsets.UTF_8))
        .toCompletableFuture()
        .thenApply(receivers -> null);
  }

  @Override
  public Registration subscribe(String channel, Listener listener) {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(listener, "listener");
    CopyOnWriteArrayList<Listener> channelListeners =
        listeners.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>());
    channelListeners.add(listener);
    try {
      pubSub.sync().subscribe(channel);
    } catch (RuntimeException e) {
      pendingChannels.add(channel);
      notifyListener(listener, channel, "a lost subscription", Listener::onDisconnect);
      log.warn(
          "Could not subscribe to '{}' now; retrying on reconnect, and until then invalidations"
              + " from other nodes do not arrive",
          channel,
          e);
    }
    return () -> {
      if (channelListeners.remove(listener) && channelListeners.isEmpty()) {
        listeners.remove(channel, channelListeners);
        confirmedChannels.remove(channel);
        pendingChannels.remove(channel);
        pubSub.async().unsubscribe(channel);
      }
    };
  }

  private void deliver(String channel, String message) {
    List<Listener> channelListeners = listeners.get(channel);
    if (channelListeners == null) {
      return;
    }
    for (Listener listener : channelListeners) {
      try {
        listener.onMessage(message);
      } catch (RuntimeException e) {
        log.warn("A listener of channel '{}' failed on a message", channel, e);
      }
    }
  }

  private void reconnected(String channel) {
    log.info("Subscription to '{}' restored after a reconnect", channel);
    notifyListeners(channel, "reconnect", Listener::onReconnect);
  }

  private void disconnected(String channel) {
    notifyListeners(channel, "a lost subscription", Listener::onDisconnect);
  }

  private void notifyListeners(String channel, String event, Consumer<Listener> call) {
    List<Listener> channelListeners = listeners.get(channel);
    if (channelListeners != null) {
      channelListeners.forEach(listener -> notifyListener(listener, channel, event, call));
    }
  }

  private static void notifyListener(
      Listener listener, String channel, String event, Consumer<Listener> call) {
    try {
      call.accept(listener);
    } catch (RuntimeException e) {
      log.warn("A listener of channel '{}' failed on {}", channel, event, e);
    }
  }

  /**
   * Checks the store's command connection with {@code PING} (see {@link RedisHealthCheck}).
   *
   * @return a health check to register in readiness
   */
  public HealthCheck healthCheck() {
    return RedisHealthCheck.using(connection);
  }

  @Override
  public void close() {
    pubSub.close();
    connection.close();
    if (ownedClient != null) {
      ownedClient.shutdown();
    }
  }
}
