package dev.lintel.cache;

import org.jspecify.annotations.Nullable;

/**
 * Computes the value of a key from the source of truth when no cache level holds it. A cache calls
 * a loader at most once per key at a time within a process (concurrent callers share that call),
 * and may call it from any thread; it may block.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface CacheLoader<K, V> {

  /**
   * Loads the value of a key.
   *
   * @param key the key
   * @return the value, or null when the source has none (the cache may remember the absence
   *     briefly)
   * @throws Exception when the source fails; the caller gets it wrapped in a {@link
   *     CacheLoadException} and nothing is cached
   */
  @Nullable V load(K key) throws Exception;
}
