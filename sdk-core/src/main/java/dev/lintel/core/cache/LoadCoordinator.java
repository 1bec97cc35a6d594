package dev.lintel.core.cache;

import dev.lintel.cache.CacheException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Single flight: at most one lookup per key runs in this process at a time, and every caller that
 * misses the key meanwhile shares its result. Blocking, asynchronous and batched callers go through
 * the same registry and the same rule. Thread-safe.
 */
final class LoadCoordinator<K, V> {

  /*
   * Design.
   *
   * The registry maps a key to the Load in flight for it. putIfAbsent is the election: the caller
   * that registers a Load owns it and must finish it (complete or fail), everyone else joins its
   * future. A Load unregisters itself *before* completing its future, so a caller that arrives
   * after the result was handed out starts a fresh lookup, which first looks in L1 again (where the
   * finished lookup stored its value) instead of joining a finished flight.
   *
   * Not every lookup may call a loader: getIfPresent's lookups only look in L2, and getAll's look
   * in L2 and then use the default loader, if there is one. So a joiner that may load, and joined
   * a lookup that found nothing, looks again itself (settles() is that rule, used by all three
   * paths). A background refresh is the exception: it did load, so its answer is final.
   *
   * The blocking path runs its own lookup on the caller's thread and, when it must look again,
   * loops there. Composing on the joined future instead would run this caller's loader on the
   * thread that completed the other flight, keeping that flight's callers waiting. The
   * asynchronous path must not block, so it composes; its lookups run on the given executor.
   *
   * An invalidation detaches the key's Load: it leaves the registry (the next caller starts afresh)
   * and is marked, so its result still reaches its callers but never fills L1 (LocalLevel.fill
   * checks the mark atomically with the write).
   */

  /** Looks up one key for a lookup this coordinator started. */
  @FunctionalInterface
  interface Lookup<K, V> {
    @Nullable V lookUp(K key, Load<K, V> load);
  }

  /**
   * Looks up the keys of the lookups one batch owns. It must finish each owned load (with its value
   * or its own failure), and throws the first failure once all are finished.
   */
  @FunctionalInterface
  interface BatchLookup<K, V> {
    void lookUpAll(List<Load<K, V>> owned);
  }

  private final ConcurrentHashMap<K, Load<K, V>> inFlight = new ConcurrentHashMap<>();
  private final String namespace;

  LoadCoordinator(String namespace) {
    this.namespace = namespace;
  }

  /**
   * Looks a key up on the caller's thread, or waits for the lookup in flight.
   *
   * @param mayLoad whether this caller's lookup calls a loader (then a joined lookup that found
   *     nothing is not its answer)
   * @throws RuntimeException what the lookup threw, to every caller that shared it
   */
  @Nullable V load(K key, boolean mayLoad, Lookup<K, V> lookup) {
    while (true) {
      Load<K, V> load = new Load<>(key, false, inFlight);
      Load<K, V> existing = inFlight.putIfAbsent(key, load);
      if (existing == null) {
        run(load, lookup);
        return await(key, load.future);
      }
      V value = await(key, existing.future);
      if (settles(value, existing, mayLoad)) {
        return value;
      }
    }
  }

  /**
   * Looks a key up on the runner, or joins the lookup in flight. Never blocks. A runner that
   * refuses the lookup fails it with a {@link CacheException} naming the key.
   */
  CompletableFuture<@Nullable V> loadAsync(
      K key, boolean mayLoad, Executor runner, Lookup<K, V> lookup) {
    Load<K, V> load = new Load<>(key, false, inFlight);
    Load<K, V> existing = inFlight.putIfAbsent(key, load);
    if (existing != null) {
      if (!mayLoad || existing.refresh) {
        return existing.future;
      }
      return existing.future.thenCompose(
          value ->
              settles(value, existing, true)
                  ? CompletableFuture.completedFuture(value)
                  : loadAsync(key, true, runner, lookup));
    }
    try {
      runner.execute(() -> run(load, lookup));
    } catch (RejectedExecutionException e) {
      load.fail(
          new CacheException(
              "Cache '" + namespace + "' could not start the lookup of key '" + key + "': " + e,
              e));
    }
    return load.future;
  }

  /**
   * Looks several keys up: registers a lookup for each key none is in flight for and hands those to
   * {@code batch} in one call, then waits for the lookups others had in flight. Every lookup this
   * call registered is finished before it returns or throws, whatever happened.
   *
   * @param retry looks again a key whose joined lookup found nothing; null if this caller cannot
   *     load
   * @param found receives the values found by this call's lookups, then by the joined ones, by key
   * @throws RuntimeException the batch's first failure, else the first failure among joined lookups
   */
  void loadAll(
      Collection<K> keys,
      BatchLookup<K, V> batch,
      @Nullable Function<K, @Nullable V> retry,
      Map<K, V> found) {
    List<Load<K, V>> owned = new ArrayList<>();
    Map<K, Load<K, V>> joined = new LinkedHashMap<>();
    try {
      for (K key : keys) {
        Load<K, V> load = new Load<>(key, false, inFlight);
        Load<K, V> existing = inFlight.putIfAbsent(key, load);
        if (existing == null) {
          owned.add(load);
        } else {
          joined.put(key, existing);
        }
      }
      batch.lookUpAll(owned);
    } finally {
      // Whatever went wrong, no lookup this call started stays registered or unfinished.
      CacheException failedFirst = null;
      for (Load<K, V> load : owned) {
        if (!load.future.isDone()) {
          if (failedFirst == null) {
            failedFirst =
                new CacheException("getAll of cache '" + namespace + "' failed first", null);
          }
          load.fail(failedFirst);
        }
      }
    }
    for (Load<K, V> load : owned) {
      V value = await(load.key, load.future); // the batch returned: each has its value
      if (value != null) {
        found.put(load.key, value);
      }
    }
    RuntimeException firstFailure = null;
    for (Load<K, V> load : joined.values()) {
      try {
        V value = await(load.key, load.future);
        if (retry != null && !settles(value, load, true)) {
          value = retry.apply(load.key);
        }
        if (value != null) {
          found.put(load.key, value);
        }
      } catch (RuntimeException e) {
        firstFailure = firstFailure == null ? e : firstFailure;
      }
    }
    if (firstFailure != null) {
      throw firstFailure;
    }
  }

  /**
   * Reloads a key in the background unless a lookup of it is in flight. Callers that miss the key
   * meanwhile join the refresh. If the runner refuses it, there is no refresh now, and whoever
   * joined gets {@code current}.
   */
  void refresh(K key, Executor runner, Lookup<K, V> reload, @Nullable V current) {
    Load<K, V> load = new Load<>(key, true, inFlight);
    if (inFlight.putIfAbsent(key, load) == null) {
      try {
        runner.execute(() -> run(load, reload));
      } catch (RejectedExecutionException e) {
        load.complete(current);
      }
    }
  }

  /** Detaches the lookup of a key in flight, so that what it read never fills L1. */
  void detach(K key) {
    Load<K, V> load = inFlight.remove(key);
    if (load != null) {
      load.detached = true;
    }
  }

  /** Detaches the lookups in flight whose key matches. */
  void detachMatching(Predicate<? super K> matches) {
    for (K key : inFlight.keySet()) {
      if (matches.test(key)) {
        detach(key);
      }
    }
  }

  /** Detaches every lookup in flight. */
  void detachAll() {
    for (K key : inFlight.keySet()) {
      detach(key);
    }
  }

  /** Counts the lookups in flight, for tests. */
  int inFlight() {
    return inFlight.size();
  }

  /**
   * The single-flight rule: a caller that joined {@code load} and got {@code value} is done unless
   * it may load, the lookup found nothing, and that lookup was not a refresh (it may have looked in
   * L2 only).
   */
  private static boolean settles(@Nullable Object value, Load<?, ?> load, boolean mayLoad) {
    return value != null || !mayLoad || load.refresh;
  }

  private void run(Load<K, V> load, Lookup<K, V> lookup) {
    try {
      load.complete(lookup.lookUp(load.key, load));
    } catch (Throwable t) {
      load.fail(t);
    }
  }

  private @Nullable V await(K key, CompletableFuture<@Nullable V> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new CacheException(
          "Lookup of key '" + key + "' in cache '" + namespace + "' failed", cause);
    }
  }
}
