package dev.lintel.cache;

import java.util.Map;

/**
 * Persists values to the source of truth for the write-through and write-behind strategies. For
 * write-through it is called on the writing thread before the cache changes; for write-behind it is
 * called from the cache's flush thread with batches in which each key appears once (its latest
 * value). It may block, and must be idempotent: a batch is retried after a failure.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface CacheWriter<K, V> {

  /**
   * Persists a batch of values.
   *
   * @param values the latest value of each key, in the order the keys were first written
   * @throws Exception when persisting fails; write-through then leaves the cache untouched and
   *     rethrows, write-behind retries the batch with backoff
   */
  void writeAll(Map<K, V> values) throws Exception;
}
