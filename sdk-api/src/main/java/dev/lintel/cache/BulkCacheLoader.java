package dev.lintel.cache;

import java.util.Map;
import java.util.Set;

/**
 * A {@link CacheLoader} that can also load many keys in one call (one SQL {@code IN} query, one
 * batch request). A cache's {@code getAll} gives it the keys no level holds, together; {@code get}
 * still loads one key with {@link #load}. As with Caffeine's {@code loadAll}, keys missing from the
 * returned map have no value (the cache may remember the absence), and extra keys are ignored.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface BulkCacheLoader<K, V> extends CacheLoader<K, V> {

  /**
   * Loads the values of several keys.
   *
   * @param keys the keys, at least one
   * @return the values found, by key; absent keys have none
   * @throws Exception when the source fails; every key's lookup fails with it, wrapped in a {@link
   *     CacheLoadException}, and nothing is cached
   */
  Map<K, V> loadAll(Set<? extends K> keys) throws Exception;
}
