package dev.lintel.core.cache;

import dev.lintel.TimeSource;
import dev.lintel.cache.CacheLoadException;
import dev.lintel.cache.CacheLoader;
import dev.lintel.core.cache.RemoteLevel.Unavailable;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The way of a lookup that missed L1: L1 again, then L2, then the loader (under the distributed
 * load lock when there is one), storing what it finds on the way back. What it stores in L1 is
 * dropped when an invalidation detached the lookup meanwhile. Runs inside a lookup the {@link
 * LoadCoordinator} started; thread-safe.
 */
final class ReadPath<K, V> {
  private final LocalLevel<K, V> local;
  private final @Nullable SharedLevel<K, V> shared;
  private final @Nullable DistributedLoadLock<K> lock;
  private final TimeSource time;
  private final CacheCounters counters;
  private final String namespace;

  ReadPath(
      LocalLevel<K, V> local,
      @Nullable SharedLevel<K, V> shared,
      @Nullable DistributedLoadLock<K> lock,
      TimeSource time,
      CacheCounters counters,
      String namespace) {
    this.local = local;
    this.shared = shared;
    this.lock = lock;
    this.time = time;
    this.counters = counters;
    this.namespace = namespace;
  }

  /**
   * Looks up one key.
   *
   * @param loader the loader, or null to look in the levels only
   * @return the value, or null when no level holds it and the loader (if any) found none
   * @throws CacheLoadException if the loader failed
   */
  @Nullable V resolve(
      K key, @Nullable CacheLoader<? super K, ? extends V> loader, Load<K, V> load) {
    Object stored = local.peek(key); // filled by a lookup that ended since our miss
    if (stored != null) {
      return local.unwrap(stored);
    }
    if (shared != null) {
      V value = readShared(key, load);
      if (value != null) {
        return value;
      }
    }
    if (loader == null) {
      return null;
    }
    return load(key, loader, load);
  }

  /**
   * Looks up the keys of a batch: one pipelined L2 round trip, then the loader for each key still
   * missing. Finishes every load, with its value or its own failure, then throws the first failure.
   *
   * @param loader the loader, or null to look in L2 only
   * @throws CacheLoadException the first failure of the loader
   */
  void resolveAll(List<Load<K, V>> owned, @Nullable CacheLoader<? super K, ? extends V> loader) {
    List<Load<K, V>> missing = owned;
    if (shared != null && !missing.isEmpty()) {
      List<K> keys = new ArrayList<>(missing.size());
      missing.forEach(load -> keys.add(load.key));
      try {
        List<@Nullable V> values = shared.getAll(keys);
        List<Load<K, V>> stillMissing = new ArrayList<>();
        for (int i = 0; i < missing.size(); i++) {
          Load<K, V> load = missing.get(i);
          V value = values.get(i);
          if (value == null) {
            stillMissing.add(load);
          } else {
            local.fill(load.key, value, load, 0);
            load.complete(value);
          }
        }
        missing = stillMissing;
      } catch (Unavailable e) {
        // L2 is down: the loader answers
      }
    }
    RuntimeException firstFailure = null;
    for (Load<K, V> load : missing) {
      if (loader == null) {
        load.complete(null);
        continue;
      }
      try {
        load.complete(load(load.key, loader, load));
      } catch (RuntimeException e) {
        load.fail(e);
        firstFailure = firstFailure == null ? e : firstFailure;
      }
    }
    if (firstFailure != null) {
      throw firstFailure;
    }
  }

  /**
   * Calls the loader and stores its value in both levels (or remembers the absence).
   *
   * @throws CacheLoadException if the loader failed; nothing is stored then
   */
  @Nullable V loadAndStore(K key, CacheLoader<? super K, ? extends V> loader, Load<K, V> load) {
    long start = time.nanoTime();
    V value;
    try {
      value = loader.load(key);
    } catch (Exception e) {
      counters.loadFailures.increment();
      counters.loadNanos.add(time.nanoTime() - start);
      throw new CacheLoadException(
          "Loading key '" + key + "' of cache '" + namespace + "' failed: " + e, e);
    }
    long took = time.nanoTime() - start;
    counters.loads.increment();
    counters.loadNanos.add(took);
    if (value == null) {
      local.fillAbsent(key, load, took);
      return null;
    }
    if (shared != null) {
      shared.store(key, value);
    }
    local.fill(key, value, load, took);
    return value;
  }

  /** Calls the loader: under the distributed lock when configured, else directly. */
  private @Nullable V load(K key, CacheLoader<? super K, ? extends V> loader, Load<K, V> load) {
    DistributedLoadLock<K> distributed = lock;
    if (distributed != null) {
      return distributed.load(
          key, () -> readShared(key, load), () -> loadAndStore(key, loader, load));
    }
    return loadAndStore(key, loader, load);
  }

  /** Reads L2 and fills L1 with what it found. */
  private @Nullable V readShared(K key, Load<K, V> load) {
    V value = shared == null ? null : shared.get(key);
    if (value != null) {
      local.fill(key, value, load, 0);
    }
    return value;
  }
}
