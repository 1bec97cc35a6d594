package dev.lintel.core.cache;

import dev.lintel.Lifecycle;
import dev.lintel.TimeSource;
import dev.lintel.cache.Cache;
import dev.lintel.cache.CacheLoader;
import dev.lintel.cache.CacheStats;
import dev.lintel.cache.CacheWriter;
import dev.lintel.cache.KeyCodec;
import dev.lintel.cache.RemoteCacheStore;
import dev.lintel.cache.ValueCodec;
import dev.lintel.core.cache.LoadCoordinator.Lookup;
import dev.lintel.health.Health;
import dev.lintel.health.HealthCheck;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A cache of one namespace with a Caffeine level in process (L1), an optional shared level (L2,
 * usually Redis through {@code RedisCacheStore}) and a loader.
 *
 * <pre>{@code
 * TieredCacheConfig config = TieredCacheConfig.custom()
 *     .l1(10_000, Duration.ofMinutes(1))
 *     .l2Ttl(Duration.ofHours(1))
 *     .distributedLoadLock(Duration.ofSeconds(10), Duration.ofSeconds(2))
 *     .build();
 * TieredCache<Long, User> users = TieredCache.builder("users", KeyCodec.longs(), User.class)
 *     .config(config)
 *     .l2(redisStore)
 *     .loader(id -> userRepository.find(id))
 *     .build();
 * User ada = users.get(42L);
 * }</pre>
 *
 * <p>The {@link TieredCacheConfig} holds the policies and numbers; the {@link Builder} takes what
 * the cache talks to: the store, the loader, the writer, the executor and the {@link TimeSource}.
 *
 * <p><b>Reads</b> go L1, then L2, then the loader; an L2 hit fills L1, a load fills both. Time to
 * live carries a random jitter (10% by default) so that keys written together do not expire
 * together.
 *
 * <p><b>Stampedes</b>: one lookup per key per process at a time, shared by concurrent callers. With
 * {@link TieredCacheConfig.Builder#distributedLoadLock}, one load per key across processes: the
 * loader runs under a lock in L2 ({@code SET NX PX} with a random token, released by
 * compare-and-delete), and the other processes poll L2 for the value until the lock wait runs out,
 * then load themselves. With {@link TieredCacheConfig.Builder#earlyRefresh}, a hit may reload the
 * key in the background shortly before it expires (XFetch: Vattani, Chierichetti and Lowenstein,
 * <i>Optimal Probabilistic Cache Stampede Prevention</i>, VLDB 2015), so hot keys never all miss at
 * once.
 *
 * <p><b>Coherence across nodes</b>: {@link #put}, {@link #invalidate} and {@link #invalidateAll}
 * update L2 first, then publish an invalidation that every other node's cache of the namespace
 * applies to its L1. A load that was in flight when an invalidation arrived returns its value to
 * its callers but does not fill L1. When the invalidation channel drops, {@link #healthCheck()}
 * reports DEGRADED at once and L1 answers only for {@link TieredCacheConfig#l1StaleWindow()} more;
 * then reads bypass it (L2 and the loader answer) until the channel is back, when L1 is cleared
 * (messages may have been lost) and used again. The L1 time to live stays the last backstop.
 *
 * <p><b>Failures of L2</b> never reach the caller: every L2 call runs under a timeout and a
 * resilience4j circuit breaker; while the breaker is open the cache serves L1 and the loader, and
 * {@link #healthCheck()} reports DEGRADED. Writes that cannot reach L2 are logged; other nodes may
 * serve the value L2 held before until it expires.
 *
 * <p><b>Write strategies</b> ({@link TieredCacheConfig.WriteMode}): cache-aside by default (the
 * host writes its source, then calls {@link #put} or {@link #invalidate}); write-through (the
 * writer persists first, and a failure leaves the cache untouched); write-behind (the cache changes
 * at once, a bounded, per-key coalescing queue persists in batches; see {@link
 * TieredCacheConfig.Builder#writeBehind} for what a crash loses).
 *
 * <p><b>Time</b>: L1 expiry, early refresh, load durations and the distributed lock's wait are read
 * on the builder's {@link TimeSource}, so a test moves time instead of sleeping.
 *
 * <p>Thread-safe. It is a {@link Lifecycle} component: stopping it (or {@link #close()}) flushes
 * the write-behind queue and unsubscribes from invalidations; it never closes the L2 store or the
 * executor.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class TieredCache<K, V> implements Cache<K, V>, Lifecycle, AutoCloseable {
  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final int UNSENT_KEYS_LIMIT = 10_000;

  private final String namespace;
  private final TieredCacheConfig config;
  private final KeyCodec<K> keyCodec;
  private final @Nullable CacheLoader<? super K, ? extends V> defaultLoader;
  private final Executor executor;
  private final CacheCounters counters = new CacheCounters();
  private final LocalLevel<K, V> local;
  private final CoherenceGate gate;
  private final @Nullable SharedLevel<K, V> shared;
  private final LoadCoordinator<K, V> loads;
  private final ReadPath<K, V> reads;
  private final Lookup<K, V> sharedOnly;
  private final @Nullable EarlyRefresh earlyRefresh;
  private final @Nullable InvalidationChannel<K> invalidations;
  private final @Nullable UnsentInvalidations<K> unsent;
  private final WritePolicy<K, V> writes;
  private final AtomicBoolean closed = new AtomicBoolean();

  private TieredCache(Builder<K, V> b) {
    this.namespace = b.namespace;
    this.config = b.config;
    this.keyCodec = b.keyCodec;
    this.defaultLoader = b.loader;
    this.executor = b.executor != null ? b.executor : SharedCacheExecutor.get();
    TimeSource time = b.timeSource;
    TtlJitter jitter = new TtlJitter(config.ttlJitter());
    this.gate = new CoherenceGate(config.l1StaleWindow(), time);
    this.local = new LocalLevel<>(config, time, jitter, counters, gate);
    this.loads = new LoadCoordinator<>(namespace);
    this.earlyRefresh =
        config.earlyRefreshBeta() > 0 ? new EarlyRefresh(config.earlyRefreshBeta(), time) : null;
    String prefix = config.keyPrefix();
    RemoteCacheStore store = b.store;
    if (store != null) {
      RemoteLevel remote =
          new RemoteLevel(
              store,
              CircuitBreaker.of("cache-" + namespace, config.circuitBreaker()),
              config.l2Timeout(),
              time,
              counters,
              namespace);
      SharedLevel<K, V> sharedLevel =
          new SharedLevel<>(
              remote,
              keyCodec,
              b.valueCodec,
              prefix + namespace + ":",
              config.l2Ttl(),
              jitter,
              counters,
              namespace);
      DistributedLoadLock<K> lock =
          config
              .loadLockLease()
              .map(
                  lease ->
                      new DistributedLoadLock<>(
                          remote,
                          keyCodec,
                          prefix + "lock:" + namespace + ":",
                          lease,
                          config.loadLockWait(),
                          time,
                          namespace))
              .orElse(null);
      this.reads =
          new ReadPath<>(
              local,
              sharedLevel,
              lock,
              time,
              counters,
              namespace,
              executor,
              config.parallelLoads());
      InvalidationChannel<K> channel =
          new InvalidationChannel<>(
              remote,
              keyCodec,
              prefix + "invalidations:" + namespace,
              new FromOtherNodes(),
              counters,
              namespace);
      this.shared = sharedLevel;
      this.invalidations = channel;
      this.unsent =
          new UnsentInvalidations<>(UNSENT_KEYS_LIMIT, sharedLevel, channel, executor, namespace);
    } else {
      this.shared = null;
      this.reads =
          new ReadPath<>(
              local, null, null, time, counters, namespace, executor, config.parallelLoads());
      this.invalidations = null;
      this.unsent = null;
    }
    this.sharedOnly = (key, load) -> reads.resolve(key, null, load);
    this.writes = WritePolicy.of(config, b.writer, namespace); // last: it may start a thread
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

  /**
   * Returns the configuration this cache was built with, for example to derive another one with
   * {@link TieredCacheConfig#from}.
   *
   * @return the configuration
   */
  public TieredCacheConfig config() {
    return config;
  }

  // ---------------------------------------------------------------------------------------------
  // Reads

  @Override
  public @Nullable V getIfPresent(K key) {
    Objects.requireNonNull(key, "key");
    Object stored = local.hit(key);
    if (stored != null) {
      return local.unwrap(stored);
    }
    if (shared == null) {
      return null;
    }
    retryUnsent();
    return loads.load(key, false, sharedOnly);
  }

  @Override
  public @Nullable V get(K key) {
    return get(key, requireDefaultLoader());
  }

  @Override
  public @Nullable V get(K key, CacheLoader<? super K, ? extends V> loader) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(loader, "loader");
    Object stored = local.hit(key);
    if (stored != null) {
      if (earlyRefresh != null) {
        refreshIfDue(earlyRefresh, key, stored, loader);
      }
      return local.unwrap(stored);
    }
    retryUnsent();
    return loads.load(key, true, (k, load) -> reads.resolve(k, loader, load));
  }

  @Override
  public CompletableFuture<@Nullable V> getAsync(
      K key, CacheLoader<? super K, ? extends V> loader) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(loader, "loader");
    Object stored = local.hit(key);
    if (stored != null) {
      if (earlyRefresh != null) {
        refreshIfDue(earlyRefresh, key, stored, loader);
      }
      return CompletableFuture.completedFuture(local.unwrap(stored));
    }
    retryUnsent();
    return loads.loadAsync(key, true, executor, (k, load) -> reads.resolve(k, loader, load));
  }

  @Override
  public Map<K, V> getAll(Collection<? extends K> keys) {
    Objects.requireNonNull(keys, "keys");
    for (K key : keys) {
      Objects.requireNonNull(key, "keys must not contain null");
    }
    Map<K, V> found = new LinkedHashMap<>();
    List<K> missed = new ArrayList<>();
    for (K key : keys) {
      Object stored = local.hit(key);
      if (stored == null) {
        missed.add(key);
        continue;
      }
      V value = local.unwrap(stored);
      if (value != null) {
        found.put(key, value);
      }
    }
    if (!missed.isEmpty()) {
      retryUnsent();
    }
    CacheLoader<? super K, ? extends V> loader = defaultLoader;
    loads.loadAll(
        missed,
        owned -> reads.resolveAll(owned, loader),
        loader == null ? null : key -> get(key, loader), // a joined lookup may have read L2 only
        found);
    return found;
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

  /** A read going past L1 is a chance to re-send changes that could not reach the other nodes. */
  private void retryUnsent() {
    UnsentInvalidations<K> later = unsent;
    if (later != null) {
      later.retrySoon();
    }
  }

  private void refreshIfDue(
      EarlyRefresh refresh, K key, Object stored, CacheLoader<? super K, ? extends V> loader) {
    if (stored instanceof TimedValue entry && refresh.isDue(entry)) {
      loads.refresh(
          key,
          executor,
          (k, load) -> reads.loadAndStore(k, loader, load),
          local.unwrap(stored)); // what a caller that joins a refused refresh gets
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Writes

  @Override
  public void put(K key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    byte[] bytes = shared == null ? null : shared.encode(key, value); // fails before any write
    writes.write(key, value);
    boolean stored = shared == null || bytes == null || shared.set(key, bytes);
    loads.detach(key); // after L2 changed: a lookup that read the old value must not keep it
    local.put(key, value);
    announce(key, stored);
  }

  /** Tells the other nodes about a changed key, or remembers it to tell them later. */
  private void announce(K key, boolean reachedShared) {
    InvalidationChannel<K> channel = invalidations;
    UnsentInvalidations<K> later = unsent;
    if (channel == null || later == null) {
      return;
    }
    if (channel.publishKey(key) && reachedShared) {
      later.flushSoon();
    } else {
      later.add(key);
    }
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
    boolean deleted = shared == null || shared.delete(key);
    loads.detach(key); // after L2 changed: a lookup that read the old value must not keep it
    local.invalidate(key);
    announce(key, deleted);
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
    long deleted = shared == null ? 0 : shared.deleteMatching(pattern);
    evictLocalMatching(glob);
    if (invalidations != null) {
      invalidations.publishPattern(pattern);
    }
    return deleted;
  }

  private void evictLocalMatching(GlobPattern glob) {
    Predicate<K> matches = key -> glob.matches(keyCodec.encode(key));
    loads.detachMatching(matches);
    local.invalidateMatching(matches);
  }

  /** Applies other nodes' invalidations to this node's L1 and to the lookups in flight. */
  private final class FromOtherNodes implements InvalidationChannel.Receiver<K> {
    @Override
    public void evict(K key) {
      loads.detach(key);
      local.invalidate(key);
    }

    @Override
    public void evictMatching(GlobPattern pattern) {
      evictLocalMatching(pattern);
    }

    @Override
    public void evictAll() {
      loads.detachAll();
      local.clear();
    }

    @Override
    public void channelLost() {
      gate.channelDown();
    }

    @Override
    public void channelRestored() {
      evictAll(); // first: L1 must not answer with what it held before the channel came back
      gate.channelUp();
      if (unsent != null) {
        unsent.flushSoon(); // not here: this is the store's I/O thread
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Observation and lifecycle

  @Override
  public CacheStats stats() {
    return counters.snapshot();
  }

  /**
   * Counts the invalidation messages this cache published to the other nodes (one per {@link #put},
   * {@link #invalidate} or {@link #invalidateAll} that reached the shared level), for metrics. Only
   * grows.
   *
   * @return the number published; 0 without L2
   */
  public long invalidationsSent() {
    return counters.invalidationsSent.sum();
  }

  /**
   * Sums the time the loader took, successful and failed calls alike, as read on the builder's
   * {@link TimeSource}; for metrics (Caffeine's {@code totalLoadTime}). Only grows.
   *
   * @return the total load time in nanoseconds
   */
  public long totalLoadTimeNanos() {
    return counters.loadNanos.sum();
  }

  /**
   * Tells the state of the shared level's circuit breaker, for metrics.
   *
   * @return the state, or empty for a cache without L2
   */
  public Optional<CircuitBreaker.State> breakerState() {
    SharedLevel<K, V> level = shared;
    return level == null ? Optional.empty() : Optional.of(level.breakerState());
  }

  /**
   * Counts the writes the write-behind queue holds and has not confirmed, for metrics: what a crash
   * now would lose.
   *
   * @return the queue depth; 0 without write-behind
   */
  public int writeBehindDepth() {
    return writes.pending();
  }

  /**
   * Reports the shared level: UP when its breaker is closed and the invalidation channel is up (or
   * without L2); DEGRADED while the breaker is open or half-open, or while the invalidation channel
   * is down (the cache still answers, from L2, the loader and, within the stale window, L1).
   *
   * @return a health check to register with the runtime's health registry
   */
  public HealthCheck healthCheck() {
    return () -> {
      if (shared == null) {
        return Health.up("L1 only");
      }
      if (gate.channelIsDown()) {
        return Health.degraded(
            "invalidation channel down for "
                + gate.downFor().toMillis()
                + " ms; L1 "
                + (gate.l1Usable() ? "still within its stale window" : "bypassed")
                + " until it is back");
      }
      CircuitBreaker.State state = shared.breakerState();
      return state == CircuitBreaker.State.CLOSED
          ? Health.up("shared level reachable; breaker CLOSED")
          : Health.degraded("shared level breaker " + state + "; serving L1 and the loader");
    };
  }

  /**
   * Tells whether the invalidation channel is down right now (other nodes' invalidations may be
   * missed), for metrics and tests.
   *
   * @return true while it is down; false when it is up or the cache has no L2
   */
  public boolean invalidationChannelDown() {
    return gate.channelIsDown();
  }

  /** Does nothing: a cache works once built. */
  @Override
  public void start() {}

  @Override
  public void stop() {
    close();
  }

  /**
   * Flushes the write-behind queue and unsubscribes from invalidations. Leaves the executor and the
   * L2 store alone: they may be shared. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    writes.close();
    if (invalidations != null) {
      invalidations.close();
    }
  }

  private CacheLoader<? super K, ? extends V> requireDefaultLoader() {
    CacheLoader<? super K, ? extends V> loader = defaultLoader;
    if (loader == null) {
      throw new IllegalStateException(
          "Cache '" + namespace + "' was built without a loader; pass one to get(key, loader)");
    }
    return loader;
  }

  /**
   * Builds a {@link TieredCache} from a {@link TieredCacheConfig} and the parts it talks to. Each
   * setter validates at once; {@link #build()} checks that the config and the parts fit together.
   * Not thread-safe; build once.
   *
   * @param <K> the key type
   * @param <V> the value type
   */
  public static final class Builder<K, V> {
    private final String namespace;
    private final KeyCodec<K> keyCodec;
    private final ValueCodec<V> valueCodec;
    private TieredCacheConfig config = TieredCacheConfig.ofDefaults();
    private @Nullable RemoteCacheStore store;
    private @Nullable CacheLoader<? super K, ? extends V> loader;
    private @Nullable CacheWriter<K, V> writer;
    private @Nullable Executor executor;
    private TimeSource timeSource = TimeSource.system();

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
     * Sets the policies and numbers; {@link TieredCacheConfig#ofDefaults()} by default.
     *
     * @param config the configuration
     * @return this builder
     */
    public Builder<K, V> config(TieredCacheConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Adds the shared level. Its time to live, timeout and breaker come from the config.
     *
     * @param store the store, for example {@code RedisCacheStore}; the cache never closes it
     * @return this builder
     */
    public Builder<K, V> l2(RemoteCacheStore store) {
      this.store = Objects.requireNonNull(store, "store");
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
     * Sets the writer of write-through or write-behind (chosen in the config). A cache-aside cache
     * has none.
     *
     * @param writer the writer; for write-behind it is called from one flush thread
     * @return this builder
     */
    public Builder<K, V> writer(CacheWriter<K, V> writer) {
      this.writer = Objects.requireNonNull(writer, "writer");
      return this;
    }

    /**
     * Runs asynchronous operations ({@code getAsync}, {@code getAllAsync}, {@code putAsync}, {@code
     * invalidateAsync}) and background refreshes on this executor. Loads may block, so it should
     * not be an event loop. The cache never shuts it down.
     *
     * <p>By default, every cache built without one shares one bounded pool per JVM: at most twice
     * as many daemon threads as processors (at least 8), which end when idle, and at most 10,000
     * waiting tasks. A task it refuses fails {@code getAsync} with a {@code CacheException}, is
     * skipped as a refresh, and makes {@code getAllAsync}, {@code putAsync} and {@code
     * invalidateAsync} throw {@link java.util.concurrent.RejectedExecutionException}. Hosts with
     * many slow asynchronous loads should pass their own executor.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder<K, V> executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Sets the time of L1 expiry, early refresh, load durations and the distributed lock's wait;
     * {@link TimeSource#system()} by default. Tests pass a manual time source and move it instead
     * of sleeping.
     *
     * @param timeSource the time source
     * @return this builder
     */
    public Builder<K, V> timeSource(TimeSource timeSource) {
      this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
      return this;
    }

    /**
     * Builds the cache and, with L2, subscribes to the invalidations of its namespace.
     *
     * @return the cache
     * @throws IllegalStateException if the config and the parts do not fit together: no L1 and no
     *     L2, a distributed load lock without L2, write-through or write-behind without a writer,
     *     or a writer with cache-aside
     */
    public TieredCache<K, V> build() {
      if (store == null && config.loadLockLease().isPresent()) {
        throw new IllegalStateException(
            "cache '" + namespace + "': distributedLoadLock needs a shared level (l2)");
      }
      if (store == null && config.l1MaximumSize() == 0) {
        throw new IllegalStateException("cache '" + namespace + "' has neither L1 nor L2");
      }
      WritePolicy.requireWriterFits(config.writeMode(), writer, namespace);
      return new TieredCache<>(this);
    }
  }
}
