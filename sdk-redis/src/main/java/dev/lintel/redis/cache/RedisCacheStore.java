package dev.lintel.redis.cache;

import dev.lintel.Registration;
import dev.lintel.cache.RemoteCacheStore;
import dev.lintel.health.HealthCheck;
import dev.lintel.redis.RedisConnector;
import dev.lintel.redis.health.RedisHealthCheck;
import dev.lintel.redis.internal.ChannelSubscriber;
import dev.lintel.redis.internal.RedisKeyspace;
import dev.lintel.redis.internal.RedisSession;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared cache level on Redis through Lettuce, on a standalone Redis or a Redis Cluster (see
 * {@link RedisConnector}): one connection for commands (pipelined, shared by every cache that uses
 * this store) and one for pub/sub.
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
 *   <li>Locks are {@code SET key token NX PX ttl}, released by a Lua compare-and-delete that
 *       touches that one key (one slot on a cluster), so that only their holder can release them.
 *   <li>{@link #deleteMatching} walks the key space of every master with its own {@code SCAN MATCH
 *       COUNT} cursor and deletes each page with {@code UNLINK}: it never sends {@code KEYS} and
 *       never blocks a server for long. It fails, naming the nodes, unless every master was walked
 *       to the end; {@link #deleteMatchingOnEveryMaster} reports which nodes were.
 *   <li>Invalidation messages use {@code PUBLISH}/{@code SUBSCRIBE} on a standalone Redis and
 *       sharded {@code SPUBLISH}/{@code SSUBSCRIBE} on a cluster. Subscriptions survive reconnects,
 *       failovers and slot moves. When a subscription is lost (connection dropped, node failed,
 *       slot moved) the channel's listeners hear {@link RemoteCacheStore.Listener#onDisconnect()}
 *       at once; when it is confirmed again, {@link RemoteCacheStore.Listener#onReconnect()}, since
 *       messages sent meanwhile were lost.
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} closes the connections, and the connector if the store created
 * it.
 */
public final class RedisCacheStore implements RemoteCacheStore {
  private static final Logger log = LoggerFactory.getLogger(RedisCacheStore.class);
  private static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
  private static final String UNLOCK =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0"
          + " end";
  private static final int SCAN_COUNT = 1_000;

  private final RedisSession<byte[]> session;
  private final RedisKeyspace<byte[]> keyspace;
  private final RedisClusterAsyncCommands<String, byte[]> commands;
  private final ChannelSubscriber subscriber;
  private final ConcurrentHashMap<String, CopyOnWriteArrayList<Listener>> listeners =
      new ConcurrentHashMap<>();

  private RedisCacheStore(RedisConnector connector, boolean owned) {
    this.session =
        RedisSession.open(
            connector,
            owned,
            CODEC,
            new ChannelSubscriber.Events() {
              @Override
              public void message(String channel, String message) {
                deliver(channel, message);
              }

              @Override
              public void lost(String channel) {
                notifyListeners(channel, "a lost subscription", Listener::onDisconnect);
              }

              @Override
              public void restored(String channel) {
                log.info("Subscription to '{}' restored", channel);
                notifyListeners(channel, "reconnect", Listener::onReconnect);
              }
            });
    this.keyspace = session.keyspace();
    this.commands = keyspace.commands();
    this.subscriber = session.subscriber();
  }

  /**
   * Connects to a standalone Redis with a client of the store's own, set up to fail commands at
   * once while disconnected (instead of queueing them) and to reconnect in the background (see
   * {@link RedisConnector#standalone}).
   *
   * @param uri where Redis listens
   * @return the store
   * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached now
   */
  public static RedisCacheStore connect(RedisURI uri) {
    return connect(RedisConnector.standalone(Objects.requireNonNull(uri, "uri")).connect());
  }

  /**
   * Opens the store on a connector it then owns: closing the store closes the connector.
   *
   * @param connector a connector to a standalone Redis or a cluster
   * @return the store
   * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached now
   */
  public static RedisCacheStore connect(RedisConnector connector) {
    return new RedisCacheStore(Objects.requireNonNull(connector, "connector"), true);
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
    return using(RedisConnector.using(Objects.requireNonNull(client, "client")));
  }

  /**
   * Opens the store's connections on the host's cluster client; closing the store leaves the client
   * open.
   *
   * @param client the host's cluster client
   * @return the store
   */
  public static RedisCacheStore using(RedisClusterClient client) {
    return using(RedisConnector.using(Objects.requireNonNull(client, "client")));
  }

  /**
   * Opens the store's connections on the host's connector; closing the store leaves it open.
   *
   * @param connector a connector to a standalone Redis or a cluster
   * @return the store
   */
  public static RedisCacheStore using(RedisConnector connector) {
    return new RedisCacheStore(Objects.requireNonNull(connector, "connector"), false);
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

  /**
   * {@inheritDoc}
   *
   * <p>Completes exceptionally, naming the nodes, unless every master was walked to the end.
   */
  @Override
  public CompletableFuture<Long> deleteMatching(String pattern) {
    return deleteMatchingOnEveryMaster(pattern)
        .thenApply(
            report -> {
              if (!report.complete()) {
                throw new IllegalStateException(
                    "Deleting keys matching '"
                        + pattern
                        + "' did not finish on every master: "
                        + report.failedNodes()
                        + " (done on "
                        + report.scannedNodes()
                        + ", "
                        + report.deleted()
                        + " keys deleted)");
              }
              return report.deleted();
            });
  }

  /**
   * Deletes every key matching a glob pattern: each master (as the topology is now) is walked with
   * its own {@code SCAN} cursor, all at once, and each page is deleted with {@code UNLINK}. Never
   * sends {@code KEYS}. A node that fails does not stop the others.
   *
   * @param pattern the glob pattern over qualified keys
   * @return which nodes were walked to the end, which failed, and how many keys were deleted
   */
  public CompletableFuture<PatternDeletion> deleteMatchingOnEveryMaster(String pattern) {
    Objects.requireNonNull(pattern, "pattern");
    ScanArgs args = ScanArgs.Builder.matches(pattern).limit(SCAN_COUNT);
    Map<String, CompletableFuture<Long>> walks = new LinkedHashMap<>();
    keyspace
        .masters()
        .forEach(
            (node, master) -> {
              CompletableFuture<Long> walk = new CompletableFuture<>();
              scanAndUnlink(master, ScanCursor.INITIAL, args, 0, walk);
              walks.put(node, walk);
            });
    return CompletableFuture.allOf(
            walks.values().stream()
                .map(walk -> walk.handle((n, e) -> n))
                .toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              long deleted = 0;
              List<String> scanned = new ArrayList<>();
              Map<String, String> failed = new LinkedHashMap<>();
              for (Map.Entry<String, CompletableFuture<Long>> walk : walks.entrySet()) {
                try {
                  deleted += walk.getValue().join();
                  scanned.add(walk.getKey());
                } catch (CompletionException e) {
                  Throwable cause = e.getCause() == null ? e : e.getCause();
                  failed.put(walk.getKey(), cause.toString());
                }
              }
              return new PatternDeletion(deleted, scanned, failed);
            });
  }

  /** One page of one master: SCAN, then UNLINK what it found, then the next page. */
  private void scanAndUnlink(
      RedisClusterAsyncCommands<String, byte[]> master,
      ScanCursor cursor,
      ScanArgs args,
      long deletedSoFar,
      CompletableFuture<Long> result) {
    master
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
                      scanAndUnlink(master, page, args, deletedSoFar + count, result);
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
    return keyspace
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
      subscriber.subscribe(channel);
    } catch (RuntimeException e) {
      log.warn(
          "Could not subscribe to '{}' now; retrying, and until then invalidations from other"
              + " nodes do not arrive",
          channel,
          e);
      notifyListener(listener, channel, "a lost subscription", Listener::onDisconnect);
    }
    return () -> {
      if (channelListeners.remove(listener) && channelListeners.isEmpty()) {
        listeners.remove(channel, channelListeners);
        subscriber.unsubscribe(channel);
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
    return keyspace.healthCheck();
  }

  @Override
  public void close() {
    session.close();
  }
}
