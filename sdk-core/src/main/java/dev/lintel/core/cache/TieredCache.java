package dev.lintel.core.cache;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.lintel.Lifecycle;
import dev.lintel.Registration;
import dev.lintel.cache.Cache;
import dev.lintel.cache.CacheException;
import dev.lintel.cache.CacheLoadException;
import dev.lintel.cache.CacheLoader;
import dev.lintel.cache.CacheStats;
import dev.lintel.cache.CacheWriter;
import dev.lintel.cache.KeyCodec;
import dev.lintel.cache.RemoteCacheStore;
import dev.lintel.cache.ValueCodec;
import dev.lintel.core.cache.RemoteLevel.Unavailable;
import dev.lintel.health.Health;
import dev.lintel.health.HealthCheck;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache of one namespace with a Caffeine level in process (L1), an optional shared level (L2,
 * usually Redis through {@code RedisCacheStore}) and a loader.
 *
 * <pre>{@code
 * TieredCache<Long, User> users = TieredCache.builder("users", KeyCodec.longs(), User.class)
 *     .l1(10_000, Duration.ofMinutes(1))
 *     .l2(redisStore, Duration.ofHours(1))
 *     .loader(id -> userRepository.find(id))
 *     .distributedLoadLock(Duration.ofSeconds(10), Duration.ofSeconds(2))
 *     .build();
 * User ada = users.get(42L);
 * }</pre>
 *
 * <p><b>Reads</b> go L1, then L2, then the loader; an L2 hit fills L1, a load fills both. Time to
 * live carries a random jitter (10% by default) so that keys written together do not expire
 * together.
 *
 * <p><b>Stampedes</b>: one lookup per key per process at a time, shared by concurrent callers. With
 * {@link Builder#distributedLoadLock}, one load per key across processes: the loader runs under a
 * Redis lock ({@code SET NX PX} with a random token, released by compare-and-delete), and the other
 * processes poll L2 for the value until the lock wait runs out, then load themselves. With {@link
 * Builder#earlyRefresh}, a hit may reload the key in the background shortly before it expires
 * (XFetch: Vattani, Chierichetti and Lowenstein, <i>Optimal Probabilistic Cache Stampede
 * Prevention</i>, VLDB 2015), so hot keys never all miss at once.
 *
 * <p><b>Coherence across nodes</b>: {@link #put}, {@link #invalidate} and {@link #invalidateAll}
 * update L2 first, then publish an invalidation that every other node's cache of the namespace
 * applies to its L1. A load that was in flight when an invalidation arrived returns its value to
 * its callers but does not fill L1. After the store reconnects (messages may have been lost), L1 is
 * cleared.
 *
 * <p><b>Failures of L2</b> never reach the caller: every L2 call runs under a timeout and a
 * resilience4j circuit breaker; while the breaker is open the cache serves L1 and the loader, and
 * {@link #healthCheck()} reports DEGRADED. Writes that cannot reach L2 are logged; other nodes may
 * serve the value L2 held before until it expires.
 *
 * <p><b>Write strategies</b>: cache-aside by default (the host writes its source, then calls {@link
 * #put} or {@link #invalidate}); {@link Builder#writeThrough} (the writer persists first, and a
 * failure leaves the cache untouched); {@link Builder#writeBehind} (the cache changes at once, a
 * bounded, per-key coalescing queue persists in batches; see that method for what a crash loses).
 *
 * <p>Thread-safe. It is a {@link Lifecycle} component: stopping it (or {@link #close()}) flushes
 * the write-behind queue and unsubscribes from invalidations; it never closes the L2 store.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class TieredCache<K, V> implements Cache<K, V>, Lifecycle, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TieredCache.class);
  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._:-]{0,100}");
  private static final Duration PATTERN_DELETE_TIMEOUT = Duration.ofMinutes(5);

  /** Stands in L1 for a remembered absence (the loader returned null). */
  private static final Object ABSENT = new Object();

  private final String namespace;
  private final KeyCodec<K> keyCodec;
  private final ValueCodec<V> valueCodec;
  private final com.github.benmanes.caffeine.cache.@Nullable Cache<K, Object> l1;
  private final @Nullable RemoteLevel remote;
  private final @Nullable CacheLoader<? super K, ? extends V> defaultLoader;
  private final String keyPrefix;
  private final String lockPrefix;
  private final String channel;
  private final String nodeId = UUID.randomUUID().toString();
  private final long l1TtlNanos;
  private final Duration l2Ttl;
  private final long absentTtlNanos;
  private final double jitter;
  private final @Nullable Duration lockTtl;
  private final Duration lockWait;
  private final double earlyRefreshBeta;
  private final @Nullable CacheWriter<K, V> writeThrough;
  private final @Nullable WriteBehindQueue<K, V> writeBehind;
  private final Executor executor;
  private final @Nullable ExecutorService ownedExecutor;
  private final Ticker ticker;
  private final boolean countL1Hits;
  private final ConcurrentHashMap<K, Load<V>> loads = new ConcurrentHashMap<>();
  private final CacheCounters counters = new CacheCounters();
  private final @Nullable Registration subscription;
  private final AtomicBoolean closed = new AtomicBoolean();

  private TieredCache(Builder<K, V> b) {
    this.namespace = b.namespace;
    this.keyCodec = b.keyCodec;
    this.valueCodec = b.valueCodec;
    this.defaultLoader = b.loader;
    this.keyPrefix = b.keyPrefix + namespace + ":";
    this.lockPrefix = b.keyPrefix + "lock:" + namespace + ":";
    this.channel = b.keyPrefix + "invalidations:" + namespace;
    this.l1TtlNanos = b.l1Ttl.toNanos();
    this.l2Ttl = b.l2Ttl;
    this.absentTtlNanos = b.absentTtl == null ? 0 : b.absentTtl.toNanos();
    this.jitter = b.jitter;
    this.lockTtl = b.lockTtl;
    this.lockWait = b.lockWait;
    this.earlyRefreshBeta = b.earlyRefreshBeta;
    this.writeThrough = b.writeThrough;
    this.ticker = b.ticker;
    this.countL1Hits = b.recordStats;
    if (b.executor != null) {
      this.executor = b.executor;
      this.ownedExecutor = null;
    } else {
      AtomicInteger threads = new AtomicInteger();
      this.ownedExecutor =
          Executors.newCachedThreadPool(
              task -> {
                Thread t =
                    new Thread(
                        task, "lintel-cache-" + b.namespace + "-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      this.executor = ownedExecutor;
    }
    this.l1 = b.l1MaximumSize > 0 ? buildL1(b.l1MaximumSize) : null;
    if (b.store != null) {
      CircuitBreaker breaker = CircuitBreaker.of("cache-" + namespace, b.breakerConfig);
      this.remote = new RemoteLevel(b.store, breaker, b.l2Timeout, counters, namespace);
      this.subscription =
          b.store.subscribe(
              channel,
              new RemoteCacheStore.Listener() {
                @Override
                public void onMessage(String message) {
                  applyInvalidation(message);
                }

                @Override
                public void onReconnect() {
                  log.info(
                      "Cache '{}' reconnected to its shared level; clearing L1, as invalidations"
                          + " may have been missed",
                      namespace);
                  clearLocal();
                }
              });
    } else {
      this.remote = null;
      this.subscription = null;
    }
    this.writeBehind =
        b.writeBehindWriter == null
            ? null
            : new WriteBehindQueue<>(
                namespace,
                b.writeBehindWriter,
                b.writeBehindBatchSize,
                b.writeBehindInterval,
                b.writeBehindMaxPending,
                Duration.ofSeconds(10),
                Duration.ofSeconds(30));
  }

  /**
   * L1 holds values as they are (or {@link #ABSENT}, or a {@link TimedValue} with early refresh),
   * each with its own jittered time to live through Caffeine's variable expiry.
   */
  private com.github.benmanes.caffeine.cache.Cache<K, Object> buildL1(long maximumSize) {
    return Caffeine.newBuilder()
        .maximumSize(maximumSize)
        .ticker(ticker)
        .expireAfter(
            new Expiry<K, Object>() {
              @Override
              public long expireAfterCreate(K key, Object stored, long now) {
                return timeToLive(stored);
              }

              @Override
              public long expireAfterUpdate(K key, Object stored, long now, long left) {
                return timeToLive(stored);
              }

              @Override
              public long expireAfterRead(K key, Object stored, long now, long left) {
                return left;
              }
            })
        .evictionListener(
            (K key, Object stored, com.github.benmanes.caffeine.cache.RemovalCause cause) ->
                counters.l1Evictions.increment())
        .build();
  }

  private long timeToLive(Object stored) {
    if (stored instanceof TimedValue timed) {
      return timed.ttlNanos;
    }
    return jittered(stored == ABSENT ? absentTtlNanos : l1TtlNanos);
  }

  /**
   * Starts building a cache whose values cross L2 as JSON (Jackson).
   *
   * @param namespace names the cache; letters, digits, {@code . _ -}, at most 100 characters
   * @param keys how keys become strings for L2 and invalidation messages
   * @param valueType the value class
   * @param <K> the key type
   * @param <V> the value type
   * @return a builder
   * @throws IllegalArgumentException if the namespace is not valid
   */
  public static <K, V> Builder<K, V> builder(
      String namespace, KeyCodec<K> keys, Class<V> valueType) {
    return builder(namespace, keys, JacksonValueCodec.of(valueType));
  }

  /**
   * Starts building a cache with the given value codec.
   *
   * @param namespace names the cache; letters, digits, {@code . _ -}, at most 100 characters
   * @param keys how keys become strings for L2 and invalidation messages
   * @param values how values become bytes for L2
   * @param <K> the key type
   * @param <V> the value type
   * @return a builder
   * @throws IllegalArgumentException if the namespace is not valid
   */
  public static <K, V> Builder<K, V> builder(
      String namespace, KeyCodec<K> keys, ValueCodec<V> values) {
    return new Builder<>(namespace, keys, values);
  }

  @Override
  public String namespace() {
    return namespace;
  }

  @Override
  public String name() {
    return "cache-" + namespace;
  }

  // ---------------------------------------------------------------------------------------------
  // Reads

  @Override
  public @Nullable V getIfPresent(K key) {
    Objects.requireNonNull(key, "key");
    Object stored = l1Hit(key);
    if (stored != null) {
      return unwrap(stored);
    }
    return remote == null ? null : await(key, miss(key, null, Runnable::run));
  }

  @Override
  public @Nullable V get(K key) {
    return get(key, requireDefaultLoader());
  }

  @Override
  public @Nullable V get(K key, CacheLoader<? super K, ? extends V> loader) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(loader, "loader");
    Object stored = l1Hit(key);
    if (stored != null) {
      if (earlyRefreshBeta > 0) {
        refreshEarlyIfDue(key, stored, loader);
      }
      return unwrap(stored);
    }
    return missOnThisThread(key, loader);
  }

  /**
   * The blocking form of {@link #miss}: joins the lookup in flight, and if that one found nothing,
   * looks again from this thread. (Composing on the flight's future instead would run this caller's
   * loader on the thread that completed the flight, keeping that caller waiting.)
   */
  private @Nullable V missOnThisThread(K key, CacheLoader<? super K, ? extends V> loader) {
    while (true) {
      Load<V> load = new Load<>(false);
      Load<V> existing = loads.putIfAbsent(key, load);
      if (existing == null) {
        start(Runnable::run, key, load, () -> run(key, load, () -> resolve(key, loader, load)));
        return await(key, load.future);
      }
      V value = await(key, existing.future);
      if (value != null || existing.refresh) {
        return value;
      }
    }
  }

  @Override
  public CompletableFuture<@Nullable V> getAsync(
      K key, CacheLoader<? super K, ? extends V> loader) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(loader, "loader");
    Object stored = l1Hit(key);
    if (stored != null) {
      if (earlyRefreshBeta > 0) {
        refreshEarlyIfDue(key, stored, loader);
      }
      return CompletableFuture.completedFuture(unwrap(stored));
    }
    return miss(key, loader, executor);
  }

  @Override
  public Map<K, V> getAll(Collection<? extends K> keys) {
    Objects.requireNonNull(keys, "keys");
    for (K key : keys) {
      Objects.requireNonNull(key, "keys must not contain null");
    }
    Map<K, V> found = new LinkedHashMap<>();
    Map<K, Load<V>> owned = new LinkedHashMap<>();
    Map<K, CompletableFuture<@Nullable V>> joined = new LinkedHashMap<>();
    try {
      for (K key : keys) {
        Object stored = l1Hit(key);
        if (stored != null) {
          V value = unwrap(stored);
          if (value != null) {
            found.put(key, value);
          }
          continue;
        }
        Load<V> load = new Load<>(false);
        Load<V> existing = loads.putIfAbsent(key, load);
        if (existing != null) {
          joined.put(key, existing.future);
        } else {
          owned.put(key, load);
        }
      }
      resolveAll(owned, found);
    } finally {
      // Whatever went wrong, no lookup this call started stays registered or unfinished.
      owned.forEach(
          (key, load) -> {
            loads.remove(key, load);
            load.future.completeExceptionally(
                new CacheException("getAll of cache '" + namespace + "' failed first", null));
          });
    }
    RuntimeException firstFailure = null;
    for (Map.Entry<K, CompletableFuture<@Nullable V>> entry : joined.entrySet()) {
      K key = entry.getKey();
      try {
        V value = await(key, entry.getValue());
        if (value == null && defaultLoader != null) {
          value = get(key, defaultLoader); // the joined lookup may have looked in L2 only
        }
        if (value != null) {
          found.put(key, value);
        }
      } catch (RuntimeException e) {
        firstFailure = firstFailure == null ? e : firstFailure;
      }
    }
    if (firstFailure != null) {
      throw firstFailure;
    }
    return found;
  }

  /**
   * Looks up the keys this call owns the lookups of: one pipelined L2 round trip, then the loader
   * for each key still missing. Every owned lookup is finished, with its value or its own failure,
   * before the first failure is thrown.
   */
  private void resolveAll(Map<K, Load<V>> owned, Map<K, V> found) {
    List<K> missing = new ArrayList<>(owned.keySet());
    if (remote != null && !missing.isEmpty()) {
      List<String> qualified = new ArrayList<>(missing.size());
      missing.forEach(key -> qualified.add(qualify(key)));
      Duration timeout = remote.timeout().multipliedBy(1 + missing.size() / 1_000);
      try {
        List<byte @Nullable []> values = remote.call(() -> remote.store.getAll(qualified), timeout);
        List<K> stillMissing = new ArrayList<>();
        for (int i = 0; i < missing.size(); i++) {
          K key = missing.get(i);
          byte[] bytes = values.get(i);
          V value = bytes == null ? null : decodeOrNull(key, bytes);
          if (value == null) {
            counters.l2Misses.increment();
            stillMissing.add(key);
          } else {
            counters.l2Hits.increment();
            Load<V> load = owned.get(key);
            fillL1(key, value, load, 0);
            finish(key, load, value);
            found.put(key, value);
          }
        }
        missing = stillMissing;
      } catch (Unavailable e) {
        // L2 is down: the loader answers
      }
    }
    CacheLoader<? super K, ? extends V> loader = defaultLoader;
    RuntimeException firstFailure = null;
    for (K key : missing) {
      Load<V> load = owned.get(key);
      if (loader == null) {
        finish(key, load, null);
        continue;
      }
      try {
        V value = load(key, loader, load);
        finish(key, load, value);
        if (value != null) {
          found.put(key, value);
        }
      } catch (RuntimeException e) {
        loads.remove(key, load);
        load.future.completeExceptionally(e);
        firstFailure = firstFailure == null ? e : firstFailure;
      }
    }
    if (firstFailure != null) {
      throw firstFailure;
    }
  }

  /** Unregisters a lookup, then hands its value to whoever joined it. */
  private void finish(K key, Load<V> load, @Nullable V value) {
    loads.remove(key, load);
    load.future.complete(value);
  }

  @Override
  public CompletableFuture<Map<K, V>> getAllAsync(Collection<? extends K> keys) {
    Objects.requireNonNull(keys, "keys");
    return CompletableFuture.supplyAsync(() -> getAll(keys), executor);
  }

  @Override
  public void warm(Collection<? extends K> keys) {
    requireDefaultLoader();
    getAll(keys);
  }

  private @Nullable Object l1Hit(K key) {
    if (l1 == null) {
      return null;
    }
    Object stored = l1.getIfPresent(key);
    if (stored == null) {
      counters.l1Misses.increment();
      return null;
    }
    if (countL1Hits) {
      counters.l1Hits.increment();
    }
    return stored;
  }

  /**
   * The value L1 stored, or null for a remembered absence; follows no reference but a timed one.
   */
  @SuppressWarnings("unchecked")
  private @Nullable V unwrap(Object stored) {
    if (stored == ABSENT) {
      return null;
    }
    if (earlyRefreshBeta > 0 && stored instanceof TimedValue timed) {
      return (V) timed.value;
    }
    return (V) stored;
  }

  /**
   * Starts the shared lookup of a key, or joins the one in flight. With a null loader it only looks
   * in L2.
   */
  private CompletableFuture<@Nullable V> miss(
      K key, @Nullable CacheLoader<? super K, ? extends V> loader, Executor runner) {
    Load<V> load = new Load<>(false);
    Load<V> existing = loads.putIfAbsent(key, load);
    if (existing != null) {
      if (loader == null || existing.refresh) {
        return existing.future;
      }
      // The flight in progress may only look in L2; load if it finds nothing.
      return existing.future.thenCompose(
          value ->
              value != null ? CompletableFuture.completedFuture(value) : miss(key, loader, runner));
    }
    start(runner, key, load, () -> run(key, load, () -> resolve(key, loader, load)));
    return load.future;
  }

  private void run(K key, Load<V> load, ValueSource<V> source) {
    try {
      V value = source.get();
      finish(key, load, value);
    } catch (Throwable t) {
      loads.remove(key, load);
      load.future.completeExceptionally(t);
    }
  }

  /** Hands a lookup to a runner; a runner that refuses it (closed, saturated) fails it at once. */
  private void start(Executor runner, K key, Load<V> load, Runnable lookup) {
    try {
      runner.execute(lookup);
    } catch (RejectedExecutionException e) {
      loads.remove(key, load);
      load.future.completeExceptionally(
          new CacheException(
              "Cache '" + namespace + "' could not start the lookup of key '" + key + "': " + e,
              e));
    }
  }

  private @Nullable V resolve(
      K key, @Nullable CacheLoader<? super K, ? extends V> loader, Load<V> load) {
    if (l1 != null) {
      Object stored = l1.getIfPresent(key); // filled by a flight that ended since our miss
      if (stored != null) {
        return unwrap(stored);
      }
    }
    if (remote != null) {
      V value = readRemote(key, load);
      if (value != null) {
        return value;
      }
    }
    if (loader == null) {
      return null;
    }
    return load(key, loader, load);
  }

  /** Calls the loader: under the distributed lock when configured, else directly. */
  private @Nullable V load(K key, CacheLoader<? super K, ? extends V> loader, Load<V> load) {
    if (remote != null && lockTtl != null) {
      return loadUnderLock(key, loader, load, lockTtl);
    }
    return loadAndStore(key, loader, load);
  }

  private @Nullable V readRemote(K key, Load<V> load) {
    RemoteLevel level = Objects.requireNonNull(remote);
    String qualified = qualify(key);
    byte[] bytes;
    try {
      bytes = level.call(() -> level.store.get(qualified));
    } catch (Unavailable e) {
      return null;
    }
    V value = bytes == null ? null : decodeOrNull(key, bytes);
    if (value == null) {
      counters.l2Misses.increment();
      return null;
    }
    counters.l2Hits.increment();
    fillL1(key, value, load, 0);
    return value;
  }

  /**
   * Loads under the distributed lock of the key, so that one process loads while the others wait
   * for the value to appear in L2. The lock expires by itself if its holder dies; a waiter that
   * sees it released without a value takes it; after the lock wait, a waiter loads by itself.
   */
  private @Nullable V loadUnderLock(
      K key, CacheLoader<? super K, ? extends V> loader, Load<V> load, Duration ttl) {
    RemoteLevel level = Objects.requireNonNull(remote);
    String lockKey = lockPrefix + keyCodec.encode(key);
    String token = UUID.randomUUID().toString();
    long deadline = System.nanoTime() + lockWait.toNanos();
    long pollNanos = TimeUnit.MILLISECONDS.toNanos(5);
    while (true) {
      boolean acquired;
      try {
        acquired = level.call(() -> level.store.tryLock(lockKey, token, ttl));
      } catch (Unavailable e) {
        return loadAndStore(key, loader, load);
      }
      if (acquired) {
        try {
          V value = readRemote(key, load); // the previous holder may have written it just now
          return value != null ? value : loadAndStore(key, loader, load);
        } finally {
          level.tryCall(
              () -> level.store.unlock(lockKey, token), "release the load lock of " + key);
        }
      }
      if (System.nanoTime() - deadline >= 0) {
        log.debug(
            "Cache '{}': waited {} for the load of {}; loading it here", namespace, lockWait, key);
        return loadAndStore(key, loader, load);
      }
      sleepNanos(pollNanos);
      pollNanos = Math.min(pollNanos * 2, TimeUnit.MILLISECONDS.toNanos(50));
      V value = readRemote(key, load);
      if (value != null) {
        return value;
      }
    }
  }

  private @Nullable V loadAndStore(
      K key, CacheLoader<? super K, ? extends V> loader, Load<V> load) {
    long start = ticker.read();
    V value;
    try {
      value = loader.load(key);
    } catch (Exception e) {
      counters.loadFailures.increment();
      throw new CacheLoadException(
          "Loading key '" + key + "' of cache '" + namespace + "' failed: " + e, e);
    }
    long took = ticker.read() - start;
    counters.loads.increment();
    if (value == null) {
      if (absentTtlNanos > 0) {
        fillL1(key, ABSENT, load, took);
      }
      return null;
    }
    if (remote != null) {
      byte[] bytes = encodeOrNull(key, value);
      if (bytes != null) {
        String qualified = qualify(key);
        Duration ttl = Duration.ofNanos(jittered(l2Ttl.toNanos()));
        remote.tryCall(() -> remote.store.set(qualified, bytes, ttl), "store " + key);
      }
    }
    fillL1(key, value, load, took);
    return value;
  }

  private void fillL1(K key, Object value, Load<V> load, long computeNanos) {
    if (l1 == null) {
      return;
    }
    Object stored = toStore(value, computeNanos);
    // Atomic with the invalidation's removal of the key: a lookup that an invalidation detached
    // never stores what it read before it.
    l1.asMap().compute(key, (k, old) -> load.invalidated ? old : stored);
  }

  /** What L1 keeps for a value: the value itself, or a {@link TimedValue} with early refresh. */
  private Object toStore(Object value, long computeNanos) {
    if (earlyRefreshBeta == 0 || value == ABSENT) {
      return value;
    }
    long ttl = jittered(l1TtlNanos);
    return new TimedValue(value, ttl, ticker.read() + ttl, computeNanos);
  }

  /** XFetch: refresh when now − δ·β·ln(rand) ≥ expiry, more likely the closer expiry is. */
  private void refreshEarlyIfDue(K key, Object stored, CacheLoader<? super K, ? extends V> loader) {
    if (!(stored instanceof TimedValue entry)) {
      return; // a remembered absence
    }
    double gap =
        entry.computeNanos * earlyRefreshBeta * -Math.log(ThreadLocalRandom.current().nextDouble());
    if (ticker.read() + gap < entry.expiresAtNanos) {
      return;
    }
    Load<V> load = new Load<>(true);
    if (loads.putIfAbsent(key, load) == null) {
      try {
        executor.execute(() -> run(key, load, () -> loadAndStore(key, loader, load)));
      } catch (RejectedExecutionException e) {
        finish(key, load, unwrap(stored)); // no refresh now; joiners get the current value
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Writes

  @Override
  public void put(K key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    byte[] bytes = remote == null ? null : encode(key, value);
    if (writeThrough != null) {
      try {
        writeThrough.writeAll(Map.of(key, value));
      } catch (Exception e) {
        throw new CacheException(
            "Write-through of key '"
                + key
                + "' in cache '"
                + namespace
                + "' failed; the cache is unchanged: "
                + e,
            e);
      }
    }
    if (writeBehind != null) {
      writeBehind.enqueue(key, value);
    }
    if (remote != null && bytes != null) {
      String qualified = qualify(key);
      Duration ttl = Duration.ofNanos(jittered(l2Ttl.toNanos()));
      remote.tryCall(() -> remote.store.set(qualified, bytes, ttl), "store " + key);
    }
    detach(key); // after L2 changed: a lookup that read the old value must not keep it
    if (l1 != null) {
      l1.put(key, toStore(value, 0));
    }
    broadcast('K', keyCodec.encode(key));
  }

  @Override
  public CompletableFuture<Void> putAsync(K key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    return CompletableFuture.runAsync(() -> put(key, value), executor);
  }

  @Override
  public void invalidate(K key) {
    Objects.requireNonNull(key, "key");
    if (remote != null) {
      String qualified = qualify(key);
      remote.tryCall(() -> remote.store.delete(List.of(qualified)), "delete " + key);
    }
    detach(key); // after L2 changed: a lookup that read the old value must not keep it
    if (l1 != null) {
      l1.invalidate(key);
    }
    broadcast('K', keyCodec.encode(key));
  }

  @Override
  public CompletableFuture<Void> invalidateAsync(K key) {
    Objects.requireNonNull(key, "key");
    return CompletableFuture.runAsync(() -> invalidate(key), executor);
  }

  @Override
  public long invalidateAll(String pattern) {
    Objects.requireNonNull(pattern, "pattern");
    GlobPattern glob = GlobPattern.compile(pattern);
    long deleted = 0;
    if (remote != null) {
      try {
        deleted =
            remote.call(
                () -> remote.store.deleteMatching(keyPrefix + pattern), PATTERN_DELETE_TIMEOUT);
      } catch (Unavailable e) {
        log.warn(
            "Cache '{}': could not delete keys matching '{}' from the shared level",
            namespace,
            pattern);
      }
    }
    evictLocalMatching(glob);
    broadcast('P', pattern);
    return deleted;
  }

  private byte[] encode(K key, V value) {
    try {
      return valueCodec.encode(value);
    } catch (Exception e) {
      throw new CacheException(
          "Value of type "
              + value.getClass().getName()
              + " for key '"
              + key
              + "' of cache '"
              + namespace
              + "' cannot be encoded; nothing was written: "
              + e,
          e);
    }
  }

  private byte @Nullable [] encodeOrNull(K key, V value) {
    try {
      return encode(key, value);
    } catch (CacheException e) {
      log.warn("{}; keeping it in L1 only", e.getMessage());
      return null;
    }
  }

  private @Nullable V decodeOrNull(K key, byte[] bytes) {
    try {
      return valueCodec.decode(bytes);
    } catch (Exception e) {
      log.warn(
          "Cache '{}': the shared entry of key '{}' ({} bytes) cannot be decoded; treated as a"
              + " miss: {}",
          namespace,
          key,
          bytes.length,
          e.toString());
      return null;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Invalidation between nodes

  private void broadcast(char kind, String payload) {
    if (remote != null) {
      String message = nodeId + ' ' + kind + payload;
      remote.tryCall(() -> remote.store.publish(channel, message), "publish an invalidation");
    }
  }

  private void applyInvalidation(String message) {
    int space = message.indexOf(' ');
    if (space <= 0 || space + 1 >= message.length()) {
      log.warn("Cache '{}' ignores a malformed invalidation message: {}", namespace, message);
      return;
    }
    if (space == nodeId.length() && message.startsWith(nodeId)) {
      return; // our own
    }
    String payload = message.substring(space + 2);
    try {
      switch (message.charAt(space + 1)) {
        case 'K' -> evictLocal(keyCodec.decode(payload));
        case 'P' -> evictLocalMatching(GlobPattern.compile(payload));
        default -> {
          log.warn("Cache '{}' ignores an unknown invalidation message: {}", namespace, message);
          return;
        }
      }
    } catch (RuntimeException e) {
      log.warn(
          "Cache '{}' cannot apply invalidation '{}'; clearing L1 to stay coherent",
          namespace,
          message,
          e);
      clearLocal();
    }
    counters.invalidationsReceived.increment();
  }

  /** Detaches the lookup of a key in flight, so that what it read never fills L1. */
  private void detach(K key) {
    Load<V> load = loads.remove(key);
    if (load != null) {
      load.invalidated = true;
    }
  }

  private void evictLocal(K key) {
    detach(key);
    if (l1 != null) {
      l1.invalidate(key);
    }
  }

  private void evictLocalMatching(GlobPattern glob) {
    for (K key : loads.keySet()) {
      if (glob.matches(keyCodec.encode(key))) {
        detach(key);
      }
    }
    if (l1 != null) {
      for (K key : l1.asMap().keySet()) {
        if (glob.matches(keyCodec.encode(key))) {
          l1.invalidate(key);
        }
      }
    }
  }

  private void clearLocal() {
    for (K key : loads.keySet()) {
      detach(key);
    }
    if (l1 != null) {
      l1.invalidateAll();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Observation and lifecycle

  @Override
  public CacheStats stats() {
    return counters.snapshot();
  }

  /**
   * Counts the writes the write-behind queue holds and has not confirmed, for metrics: what a crash
   * now would lose.
   *
   * @return the queue depth; 0 without write-behind
   */
  public int writeBehindDepth() {
    return writeBehind == null ? 0 : writeBehind.depth();
  }

  /**
   * Reports the state of the L2 circuit breaker: UP when closed or without L2, DEGRADED while open
   * or half-open (the cache still answers from L1 and the loader).
   *
   * @return a health check to register with the runtime's health registry
   */
  public HealthCheck healthCheck() {
    return () -> {
      if (remote == null) {
        return Health.up("L1 only");
      }
      CircuitBreaker.State state = remote.breaker.getState();
      return state == CircuitBreaker.State.CLOSED
          ? Health.up("shared level reachable; breaker CLOSED")
          : Health.degraded("shared level breaker " + state + "; serving L1 and the loader");
    };
  }

  /** Does nothing: a cache works once built. */
  @Override
  public void start() {}

  @Override
  public void stop() {
    close();
  }

  /**
   * Flushes the write-behind queue, unsubscribes from invalidations and stops the cache's own
   * threads. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (writeBehind != null) {
      writeBehind.close();
    }
    if (subscription != null) {
      subscription.close();
    }
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private CacheLoader<? super K, ? extends V> requireDefaultLoader() {
    CacheLoader<? super K, ? extends V> loader = defaultLoader;
    if (loader == null) {
      throw new IllegalStateException(
          "Cache '" + namespace + "' was built without a loader; pass one to get(key, loader)");
    }
    return loader;
  }

  private String qualify(K key) {
    return keyPrefix + keyCodec.encode(key);
  }

  private long jittered(long nanos) {
    if (jitter == 0) {
      return nanos;
    }
    double factor = 1 + jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
    return Math.max(TimeUnit.MILLISECONDS.toNanos(1), (long) (nanos * factor));
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

  private static void sleepNanos(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheException("Interrupted while waiting for a load", e);
    }
  }

  /** Produces a looked-up value; may throw. */
  @FunctionalInterface
  private interface ValueSource<V> {
    @Nullable V get();
  }

  /**
   * Builds a {@link TieredCache}. Each setter validates at once. Not thread-safe; build once.
   *
   * @param <K> the key type
   * @param <V> the value type
   */
  public static final class Builder<K, V> {
    private final String namespace;
    private final KeyCodec<K> keyCodec;
    private final ValueCodec<V> valueCodec;
    private long l1MaximumSize = 10_000;
    private Duration l1Ttl = Duration.ofMinutes(5);
    private @Nullable RemoteCacheStore store;
    private Duration l2Ttl = Duration.ofHours(1);
    private Duration l2Timeout = Duration.ofMillis(250);
    private String keyPrefix = "lintel:";
    private CircuitBreakerConfig breakerConfig =
        CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(20)
            .minimumNumberOfCalls(5)
            .failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofSeconds(2))
            .permittedNumberOfCallsInHalfOpenState(3)
            .build();
    private @Nullable CacheLoader<? super K, ? extends V> loader;
    private double jitter = 0.1;
    private @Nullable Duration absentTtl;
    private @Nullable Duration lockTtl;
    private Duration lockWait = Duration.ZERO;
    private double earlyRefreshBeta;
    private @Nullable CacheWriter<K, V> writeThrough;
    private @Nullable CacheWriter<K, V> writeBehindWriter;
    private int writeBehindBatchSize;
    private Duration writeBehindInterval = Duration.ZERO;
    private int writeBehindMaxPending;
    private @Nullable Executor executor;
    private Ticker ticker = Ticker.systemTicker();
    private boolean recordStats;

    private Builder(String namespace, KeyCodec<K> keys, ValueCodec<V> values) {
      Objects.requireNonNull(namespace, "namespace");
      if (!NAMESPACE.matcher(namespace).matches()) {
        throw new IllegalArgumentException(
            "cache namespace must be 1-100 letters, digits, '.', '_' or '-' but was '"
                + namespace
                + "'");
      }
      if (namespace.equals("lock") || namespace.equals("invalidations")) {
        throw new IllegalArgumentException(
            "cache namespace '" + namespace + "' is reserved for the cache's own Redis keys");
      }
      this.namespace = namespace;
      this.keyCodec = Objects.requireNonNull(keys, "keys");
      this.valueCodec = Objects.requireNonNull(values, "values");
    }

    /**
     * Sizes the local level; 10,000 entries and 5 minutes by default.
     *
     * @param maximumSize the most entries kept; positive
     * @param ttl how long an entry lives before jitter; positive
     * @return this builder
     * @throws IllegalArgumentException if a value is not positive
     */
    public Builder<K, V> l1(long maximumSize, Duration ttl) {
      if (maximumSize <= 0) {
        throw new IllegalArgumentException(
            "L1 maximum size must be positive but was " + maximumSize);
      }
      this.l1MaximumSize = maximumSize;
      this.l1Ttl = positive(ttl, "L1 ttl");
      return this;
    }

    /**
     * Turns the local level off: every read goes to L2 (an L2-only cache).
     *
     * @return this builder
     */
    public Builder<K, V> withoutL1() {
      this.l1MaximumSize = 0;
      return this;
    }

    /**
     * Adds the shared level.
     *
     * @param store the store, for example {@code RedisCacheStore}; the cache never closes it
     * @param ttl how long a value lives in L2 before jitter; positive
     * @return this builder
     * @throws IllegalArgumentException if the ttl is not positive
     */
    public Builder<K, V> l2(RemoteCacheStore store, Duration ttl) {
      this.store = Objects.requireNonNull(store, "store");
      this.l2Ttl = positive(ttl, "L2 ttl");
      return this;
    }

    /**
     * Sets how long an L2 call may take before it counts as failed; 250 ms by default.
     *
     * @param timeout the timeout; positive
     * @return this builder
     */
    public Builder<K, V> l2Timeout(Duration timeout) {
      this.l2Timeout = positive(timeout, "L2 timeout");
      return this;
    }

    /**
     * Replaces the default L2 circuit breaker settings (opens at 50% failures of the last 20 calls,
     * at least 5; half-opens after 2 s).
     *
     * @param config the resilience4j configuration
     * @return this builder
     */
    public Builder<K, V> circuitBreaker(CircuitBreakerConfig config) {
      this.breakerConfig = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Sets the prefix of every L2 key and channel of this cache; {@code lintel:} by default. L2
     * keys are {@code prefix + namespace + ":" + encoded key}.
     *
     * @param prefix letters, digits and {@code . _ : -}, at most 100 characters
     * @return this builder
     * @throws IllegalArgumentException if the prefix has other characters
     */
    public Builder<K, V> keyPrefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      if (!PREFIX.matcher(prefix).matches()) {
        throw new IllegalArgumentException(
            "key prefix must be at most 100 letters, digits, '.', '_', ':' or '-' but was '"
                + prefix
                + "'");
      }
      this.keyPrefix = prefix;
      return this;
    }

    /**
     * Sets the loader {@link TieredCache#get(Object)}, {@link TieredCache#getAll} and {@link
     * TieredCache#warm} use.
     *
     * @param loader the loader
     * @return this builder
     */
    public Builder<K, V> loader(CacheLoader<? super K, ? extends V> loader) {
      this.loader = Objects.requireNonNull(loader, "loader");
      return this;
    }

    /**
     * Spreads each time to live by up to ± this fraction; 0.1 by default.
     *
     * @param fraction between 0 and 0.5
     * @return this builder
     * @throws IllegalArgumentException if the fraction is outside [0, 0.5]
     */
    public Builder<K, V> ttlJitter(double fraction) {
      if (!(fraction >= 0 && fraction <= 0.5)) {
        throw new IllegalArgumentException(
            "TTL jitter must be within [0, 0.5] but was " + fraction);
      }
      this.jitter = fraction;
      return this;
    }

    /**
     * Remembers in L1 that the loader found nothing for a key, for a short time, so that lookups of
     * keys that do not exist do not all reach the source (penetration guard).
     *
     * @param ttl how long an absence is remembered; positive
     * @return this builder
     */
    public Builder<K, V> cacheAbsent(Duration ttl) {
      this.absentTtl = positive(ttl, "absent ttl");
      return this;
    }

    /**
     * Loads each key at most once across processes: the loader runs under a Redis lock, and
     * processes that find the lock taken wait for the value in L2. Needs {@link #l2}.
     *
     * @param lockTtl how long a lock lives if its holder dies; longer than a load takes
     * @param wait how long a process waits for another's load before loading itself
     * @return this builder
     */
    public Builder<K, V> distributedLoadLock(Duration lockTtl, Duration wait) {
      this.lockTtl = positive(lockTtl, "lock ttl");
      this.lockWait = positive(wait, "lock wait");
      return this;
    }

    /**
     * Refreshes hot keys in the background before they expire, with XFetch's probability: a hit
     * refreshes when {@code now − loadTime × beta × ln(random) ≥ expiry}. 1.0 is the paper's
     * choice; larger refreshes earlier.
     *
     * @param beta positive
     * @return this builder
     */
    public Builder<K, V> earlyRefresh(double beta) {
      if (!(beta > 0)) {
        throw new IllegalArgumentException("early refresh beta must be positive but was " + beta);
      }
      this.earlyRefreshBeta = beta;
      return this;
    }

    /**
     * Writes through: {@code put} persists with the writer first and changes the cache only if it
     * succeeded.
     *
     * @param writer the writer
     * @return this builder
     * @throws IllegalStateException if a write strategy was already chosen
     */
    public Builder<K, V> writeThrough(CacheWriter<K, V> writer) {
      requireNoWriteStrategy();
      this.writeThrough = Objects.requireNonNull(writer, "writer");
      return this;
    }

    /**
     * Writes behind: {@code put} changes the cache at once and queues the write; a flush thread
     * hands the writer batches of up to {@code batchSize} keys when a batch is full or {@code
     * interval} passed, each key once with its latest value, retrying failures with backoff. {@code
     * put} waits while {@code maxPending} keys are queued (up to 10 s, then throws).
     *
     * <p>What a crash loses: the queued writes, at most {@code maxPending} keys, at a steady rate
     * about one interval's worth ({@link TieredCache#writeBehindDepth()} shows it). Closing the
     * cache writes them all first.
     *
     * @param writer the writer
     * @param batchSize the largest batch; positive
     * @param interval the longest time a write waits for its batch; positive
     * @param maxPending the most keys queued; at least {@code batchSize}
     * @return this builder
     * @throws IllegalStateException if a write strategy was already chosen
     */
    public Builder<K, V> writeBehind(
        CacheWriter<K, V> writer, int batchSize, Duration interval, int maxPending) {
      requireNoWriteStrategy();
      if (batchSize <= 0 || maxPending < batchSize) {
        throw new IllegalArgumentException(
            "write-behind needs 0 < batchSize <= maxPending but was batchSize="
                + batchSize
                + ", maxPending="
                + maxPending);
      }
      this.writeBehindWriter = Objects.requireNonNull(writer, "writer");
      this.writeBehindBatchSize = batchSize;
      this.writeBehindInterval = positive(interval, "write-behind interval");
      this.writeBehindMaxPending = maxPending;
      return this;
    }

    /**
     * Runs asynchronous operations and background refreshes on this executor; by default the cache
     * owns a pool of daemon threads. Loads may block, so it should not be an event loop.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder<K, V> executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Counts L1 hits too. Off by default, as in Caffeine: an L1 hit is the cache's hottest path,
     * and a shared counter on it costs about a third of its throughput on two cores. Every other
     * counter of {@link TieredCache#stats()} is always kept, as it is off that path.
     *
     * @return this builder
     */
    public Builder<K, V> recordStats() {
      this.recordStats = true;
      return this;
    }

    /**
     * Sets the time source of L1 expiry and early refresh, for tests.
     *
     * @param ticker the ticker
     * @return this builder
     */
    public Builder<K, V> ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Builds the cache and, with L2, subscribes to the invalidations of its namespace.
     *
     * @return the cache
     * @throws IllegalStateException if the configuration is inconsistent
     */
    public TieredCache<K, V> build() {
      if (store == null && lockTtl != null) {
        throw new IllegalStateException(
            "cache '" + namespace + "': distributedLoadLock needs a shared level (l2)");
      }
      if (store == null && l1MaximumSize == 0) {
        throw new IllegalStateException("cache '" + namespace + "' has neither L1 nor L2");
      }
      return new TieredCache<>(this);
    }

    private void requireNoWriteStrategy() {
      if (writeThrough != null || writeBehindWriter != null) {
        throw new IllegalStateException("cache '" + namespace + "' already has a write strategy");
      }
    }

    private static Duration positive(Duration duration, String what) {
      Objects.requireNonNull(duration, what);
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(what + " must be positive but was " + duration);
      }
      return duration;
    }
  }
}
