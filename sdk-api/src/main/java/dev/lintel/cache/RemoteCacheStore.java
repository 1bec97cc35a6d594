package dev.lintel.cache;

import dev.lintel.Registration;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The SPI of a shared cache level that every node sees (Redis in {@code sdk-redis}). Keys arrive
 * fully qualified (prefix and namespace included); values are opaque bytes. The store also carries
 * invalidation messages between nodes and offers a lock for loads shared across processes.
 *
 * <p>Every method returns at once; failures (connection lost, timeouts) complete the future
 * exceptionally and never throw. The caller bounds the wait and counts failures. Thread-safe.
 */
public interface RemoteCacheStore extends AutoCloseable {

  /**
   * Reads a value.
   *
   * @param key the qualified key
   * @return the bytes, or null when the key is absent
   */
  CompletableFuture<byte @Nullable []> get(String key);

  /**
   * Reads several values in one pipelined round trip.
   *
   * @param keys the qualified keys
   * @return the bytes of each key in the same order, null where absent
   */
  CompletableFuture<List<byte @Nullable []>> getAll(List<String> keys);

  /**
   * Writes a value with a time to live.
   *
   * @param key the qualified key
   * @param value the bytes
   * @param ttl how long the value lives; positive
   * @return completes when written
   */
  CompletableFuture<Void> set(String key, byte[] value, Duration ttl);

  /**
   * Deletes keys.
   *
   * @param keys the qualified keys
   * @return completes when deleted
   */
  CompletableFuture<Void> delete(Collection<String> keys);

  /**
   * Deletes every key matching a glob pattern, in batches, without blocking the server.
   *
   * @param pattern the glob pattern over qualified keys
   * @return the number of keys deleted
   */
  CompletableFuture<Long> deleteMatching(String pattern);

  /**
   * Acquires a lock if nobody holds it.
   *
   * @param key the lock's key
   * @param token a random token that identifies this holder
   * @param ttl how long the lock lives unless released
   * @return true if acquired
   */
  CompletableFuture<Boolean> tryLock(String key, String token, Duration ttl);

  /**
   * Releases a lock only if it is still held with the given token.
   *
   * @param key the lock's key
   * @param token the token it was acquired with
   * @return true if this call released it
   */
  CompletableFuture<Boolean> unlock(String key, String token);

  /**
   * Sends a message to every subscriber of a channel, on every node (this one included).
   *
   * @param channel the channel
   * @param message the message
   * @return completes when sent
   */
  CompletableFuture<Void> publish(String channel, String message);

  /**
   * Subscribes to a channel.
   *
   * @param channel the channel
   * @param listener receives the messages, hears at once when the subscription is lost (messages
   *     may be missed from then on) and hears when it is confirmed again after a reconnect
   * @return unsubscribes
   */
  Registration subscribe(String channel, Listener listener);

  /** Closes the store's connections if it owns them. */
  @Override
  void close();

  /** Receives the messages of a channel. Called from the store's I/O threads: return quickly. */
  interface Listener {

    /**
     * Receives a message.
     *
     * @param message the message
     */
    void onMessage(String message);

    /**
     * Hears that the store's subscription is confirmed again after it was lost; messages sent while
     * it was away were lost.
     */
    void onReconnect();

    /**
     * Hears that the subscription was lost (connection dropped, or subscribing failed): from now
     * until {@link #onReconnect()}, messages may be missed. A store calls it as soon as it notices,
     * at most once per loss. Does nothing by default.
     */
    default void onDisconnect() {}
  }
}
