package dev.lintel.cache;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A cache of one namespace, in front of a source of truth reached through a {@link CacheLoader}.
 *
 * <p>Guarantees: at most one load per key at a time in this process, concurrent callers share it; a
 * value written or invalidated here is never served again by this cache once the call returned, and
 * by the caches of other nodes once they received the invalidation; failures of a shared level are
 * never thrown to the caller (reads fall back to the local level and the loader). Null keys and
 * null values are rejected with {@link NullPointerException}.
 *
 * <p>Thread-safe. Blocking methods may wait for the shared level (bounded by its timeout) and for
 * the loader; the {@code *Async} variants never block the caller.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface Cache<K, V> {

  /**
   * Names the namespace this cache keeps its keys in.
   *
   * @return the namespace
   */
  String namespace();

  /**
   * Returns the cached value of a key without loading it.
   *
   * @param key the key
   * @return the value from the local or shared level, or null when neither holds it
   */
  @Nullable V getIfPresent(K key);

  /**
   * Returns the value of a key, loading it with the cache's default loader on a miss.
   *
   * @param key the key
   * @return the value, or null when the loader found none
   * @throws IllegalStateException if the cache was built without a default loader
   * @throws CacheLoadException if the loader failed
   */
  @Nullable V get(K key);

  /**
   * Returns the value of a key, loading it with the given loader on a miss (get-or-compute).
   *
   * @param key the key
   * @param loader computes the value on a miss
   * @return the value, or null when the loader found none
   * @throws CacheLoadException if the loader failed
   */
  @Nullable V get(K key, CacheLoader<? super K, ? extends V> loader);

  /**
   * Returns the value of a key without blocking, loading it with the given loader on a miss.
   *
   * @param key the key
   * @param loader computes the value on a miss
   * @return the value (null when the loader found none); completes exceptionally with {@link
   *     CacheLoadException} if the loader failed
   */
  CompletableFuture<@Nullable V> getAsync(K key, CacheLoader<? super K, ? extends V> loader);

  /**
   * Returns the values of several keys: the local level first, then one pipelined round trip to the
   * shared level for the rest, then the default loader (if any) for what is still missing.
   *
   * @param keys the keys
   * @return the values found, by key; keys without a value are absent
   */
  Map<K, V> getAll(Collection<? extends K> keys);

  /**
   * Non-blocking {@link #getAll}.
   *
   * @param keys the keys
   * @return the values found, by key
   */
  CompletableFuture<Map<K, V>> getAllAsync(Collection<? extends K> keys);

  /**
   * Stores a value in every level (after the writer, under write-through) and evicts the key from
   * other nodes' local levels.
   *
   * @param key the key
   * @param value the value
   * @throws CacheException if the value cannot be encoded or the write-through writer failed;
   *     nothing was changed then
   */
  void put(K key, V value);

  /**
   * Non-blocking {@link #put}.
   *
   * @param key the key
   * @param value the value
   * @return completes when every level holds the value
   */
  CompletableFuture<Void> putAsync(K key, V value);

  /**
   * Removes a key from every level and from other nodes' local levels.
   *
   * @param key the key
   */
  void invalidate(K key);

  /**
   * Non-blocking {@link #invalidate}.
   *
   * @param key the key
   * @return completes when the key is gone from every level
   */
  CompletableFuture<Void> invalidateAsync(K key);

  /**
   * Removes every key of this namespace whose string form matches a glob pattern ({@code *}, {@code
   * ?}, {@code [abc]}, {@code \} escapes, as Redis matches) from every level and from every node's
   * local level. The shared level is scanned incrementally, never blocked.
   *
   * @param pattern the glob pattern over encoded keys
   * @return the number of keys removed from the shared level
   */
  long invalidateAll(String pattern);

  /**
   * Loads the given keys that no level holds, so that later reads hit.
   *
   * @param keys the keys
   * @throws IllegalStateException if the cache was built without a default loader
   */
  void warm(Collection<? extends K> keys);

  /**
   * Reads the counters.
   *
   * @return a snapshot of the counters
   */
  CacheStats stats();
}
