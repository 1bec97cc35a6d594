package dev.lintel.core.cache;

import dev.lintel.TimeSource;
import dev.lintel.cache.BulkCacheLoader;
import dev.lintel.cache.CacheException;
import dev.lintel.cache.CacheLoadException;
import dev.lintel.cache.CacheLoader;
import dev.lintel.core.cache.RemoteLevel.Unavailable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
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
  private final Executor executor;
  private final int parallelLoads;

  ReadPath(
      LocalLevel<K, V> local,
      @Nullable SharedLevel<K, V> shared,
      @Nullable DistributedLoadLock<K> lock,
      TimeSource time,
      CacheCounters counters,
      String namespace,
      Executor executor,
      int parallelLoads) {
    this.local = local;
    this.shared = shared;
    this.lock = lock;
    this.time = time;
    this.counters = counters;
    this.namespace = namespace;
    this.executor = executor;
    this.parallelLoads = parallelLoads;
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
   * Looks up the keys of a batch: one pipelined L2 round trip, then the loader for the keys still
   * missing, several at once. Finishes every load, with its value or its own failure, then throws
   * the first failure.
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
    if (missing.isEmpty()) {
      return; // L2 had them all
    }
    if (loader == null) {
      missing.forEach(load -> load.complete(null));
      return;
    }
    if (loader instanceof BulkCacheLoader<? super K, ? extends V> bulk
        && lock == null
        && missing.size() > 1) {
      loadInBulk(missing, bulk);
    } else {
      loadInParallel(missing, loader);
    }
    RuntimeException firstFailure = null;
    for (Load<K, V> load : missing) {
      try {
        load.future.join();
      } catch (CompletionException e) {
        if (firstFailure == null) {
          firstFailure =
              e.getCause() instanceof RuntimeException cause
                  ? cause
                  : new CacheException("Loading key '" + load.key + "' failed", e.getCause());
        }
      }
    }
    if (firstFailure != null) {
      throw firstFailure;
    }
  }

  /**
   * Loads the keys with up to {@link #parallelLoads} loader calls at once: the calling thread and
   * helper tasks on the executor take keys from one queue until it is empty. The caller takes part,
   * so the loads finish even when the executor runs none of the helpers (it is full, or the caller
   * is one of its threads). Each load ends with its value or its own failure.
   */
  private void loadInParallel(List<Load<K, V>> loads, CacheLoader<? super K, ? extends V> loader) {
    Queue<Load<K, V>> queue = new ConcurrentLinkedQueue<>(loads);
    Runnable drain =
        () -> {
          for (Load<K, V> load = queue.poll(); load != null; load = queue.poll()) {
            try {
              load.complete(load(load.key, loader, load));
            } catch (RuntimeException e) {
              load.fail(e);
            }
          }
        };
    int helpers = Math.min(parallelLoads, loads.size()) - 1;
    for (int i = 0; i < helpers; i++) {
      try {
        executor.execute(drain);
      } catch (RejectedExecutionException e) {
        break; // the caller loads what the helpers cannot
      }
    }
    drain.run();
  }

  /**
   * Loads the keys with one call of a bulk loader and stores each value (or absence) as a single
   * load would. Used without the distributed load lock only: with it, keys are loaded one by one
   * (in parallel) so that each is still loaded once cluster-wide.
   */
  private void loadInBulk(List<Load<K, V>> loads, BulkCacheLoader<? super K, ? extends V> loader) {
    Set<K> keys = new LinkedHashSet<>();
    loads.forEach(load -> keys.add(load.key));
    long start = time.nanoTime();
    Map<? super K, ? extends V> values;
    try {
      values = loader.loadAll(keys);
    } catch (Exception e) {
      counters.loadFailures.increment();
      counters.loadNanos.add(time.nanoTime() - start);
      CacheLoadException failure =
          new CacheLoadException(
              "Loading " + keys.size() + " keys of cache '" + namespace + "' failed: " + e, e);
      loads.forEach(load -> load.fail(failure));
      return;
    }
    long took = time.nanoTime() - start;
    counters.loads.increment();
    counters.loadNanos.add(took);
    for (Load<K, V> load : loads) {
      try {
        load.complete(store(load.key, values.get(load.key), load, took));
      } catch (RuntimeException e) {
        load.fail(e);
      }
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
    return store(key, value, load, took);
  }

  /** Stores a loaded value in both levels, or remembers its absence in L1. */
  private @Nullable V store(K key, @Nullable V value, Load<K, V> load, long took) {
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
