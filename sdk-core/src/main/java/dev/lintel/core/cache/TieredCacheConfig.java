package dev.lintel.core.cache;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The policies and numbers of a {@link TieredCache}: level sizes and times to live, jitter, absence
 * caching, the distributed load lock, early refresh, the shared level's timeout and circuit
 * breaker, the write mode and its settings. What a cache talks to (its store, loader, writer,
 * executor, time source) is set on {@link TieredCache.Builder} instead, so one configuration can
 * serve many caches.
 *
 * <pre>{@code
 * TieredCacheConfig config = TieredCacheConfig.custom()
 *     .l1(10_000, Duration.ofMinutes(1))
 *     .l2Ttl(Duration.ofHours(1))
 *     .distributedLoadLock(Duration.ofSeconds(10), Duration.ofSeconds(2))
 *     .build();
 * TieredCacheConfig slowSource = TieredCacheConfig.from(config).earlyRefresh(1.0).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe. Every setter of {@link Builder} checks its value at once and throws
 * {@link IllegalArgumentException} naming the bad value; a setter called twice keeps the last
 * value.
 */
public final class TieredCacheConfig {
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._:-]{0,100}");
  private static final CircuitBreakerConfig DEFAULT_BREAKER =
      CircuitBreakerConfig.custom()
          .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
          .slidingWindowSize(20)
          .minimumNumberOfCalls(5)
          .failureRateThreshold(50)
          .waitDurationInOpenState(Duration.ofSeconds(2))
          .permittedNumberOfCallsInHalfOpenState(3)
          .build();
  private static final TieredCacheConfig DEFAULTS = new Builder().build();

  /** How {@code put} reaches the host's store of record. */
  public enum WriteMode {
    /** The host writes its store, then calls {@code put} or {@code invalidate}; no writer. */
    CACHE_ASIDE,
    /** {@code put} calls the writer first and changes the cache only if it succeeded. */
    WRITE_THROUGH,
    /** {@code put} changes the cache at once and queues the write for a background flush. */
    WRITE_BEHIND
  }

  private final long l1MaximumSize;
  private final Duration l1Ttl;
  private final Duration l2Ttl;
  private final Duration l2Timeout;
  private final CircuitBreakerConfig circuitBreaker;
  private final String keyPrefix;
  private final double ttlJitter;
  private final @Nullable Duration absentTtl;
  private final @Nullable Duration loadLockLease;
  private final Duration loadLockWait;
  private final double earlyRefreshBeta;
  private final boolean recordStats;
  private final WriteMode writeMode;
  private final int writeBehindBatchSize;
  private final Duration writeBehindInterval;
  private final int writeBehindMaxPending;
  private final Duration writeBehindEnqueueTimeout;
  private final Duration writeBehindCloseTimeout;
  private final int parallelLoads;
  private final Duration l1StaleWindow;

  private TieredCacheConfig(Builder b) {
    this.l1MaximumSize = b.l1MaximumSize;
    this.l1Ttl = b.l1Ttl;
    this.l2Ttl = b.l2Ttl;
    this.l2Timeout = b.l2Timeout;
    this.circuitBreaker = b.circuitBreaker;
    this.keyPrefix = b.keyPrefix;
    this.ttlJitter = b.ttlJitter;
    this.absentTtl = b.absentTtl;
    this.loadLockLease = b.loadLockLease;
    this.loadLockWait = b.loadLockWait;
    this.earlyRefreshBeta = b.earlyRefreshBeta;
    this.recordStats = b.recordStats;
    this.writeMode = b.writeMode;
    this.writeBehindBatchSize = b.writeBehindBatchSize;
    this.writeBehindInterval = b.writeBehindInterval;
    this.writeBehindMaxPending = b.writeBehindMaxPending;
    this.writeBehindEnqueueTimeout = b.writeBehindEnqueueTimeout;
    this.writeBehindCloseTimeout = b.writeBehindCloseTimeout;
    this.parallelLoads = b.parallelLoads;
    this.l1StaleWindow = b.l1StaleWindow;
  }

  /**
   * Returns the default configuration: L1 of 10,000 entries for 5 minutes, L2 entries for 1 hour,
   * ±10% jitter, L2 calls limited to 250 ms behind a breaker that opens at 50% failures of the last
   * 20 calls (at least 5) and half-opens after 2 s, key prefix {@code lintel:}, no absence caching,
   * no distributed load lock, no early refresh, L1 hits not counted, cache-aside writes, up to 8
   * keys of a {@code getAll} loaded at once, L1 trusted for 500 ms after the invalidation channel
   * drops.
   *
   * @return the default configuration, a shared instance
   */
  public static TieredCacheConfig ofDefaults() {
    return DEFAULTS;
  }

  /**
   * Starts a configuration from the defaults of {@link #ofDefaults()}.
   *
   * @return a builder
   */
  public static Builder custom() {
    return new Builder();
  }

  /**
   * Starts a configuration from another one: every setting is copied, and the builder's setters
   * override them one by one. The base is not changed.
   *
   * @param base the configuration to start from
   * @return a builder holding the base's settings
   */
  public static Builder from(TieredCacheConfig base) {
    return new Builder(Objects.requireNonNull(base, "base"));
  }

  /**
   * Returns the most entries L1 keeps.
   *
   * @return a positive size, or 0 when the cache has no L1
   */
  public long l1MaximumSize() {
    return l1MaximumSize;
  }

  /**
   * Returns how long an L1 entry lives, before jitter.
   *
   * @return a positive duration
   */
  public Duration l1Ttl() {
    return l1Ttl;
  }

  /**
   * Returns how long an L2 entry lives, before jitter.
   *
   * @return a positive duration
   */
  public Duration l2Ttl() {
    return l2Ttl;
  }

  /**
   * Returns how long one L2 call may take before it counts as failed.
   *
   * @return a positive duration
   */
  public Duration l2Timeout() {
    return l2Timeout;
  }

  /**
   * Returns how long L1 keeps answering after the invalidation channel went down. Past it, reads
   * bypass L1 until the channel is back (then L1 is cleared), so that no value is served from L1
   * more than this long after an invalidation that could not arrive.
   *
   * @return zero or a positive duration; 500 ms by default
   */
  public Duration l1StaleWindow() {
    return l1StaleWindow;
  }

  /**
   * Returns the settings of the circuit breaker in front of L2.
   *
   * @return the resilience4j configuration
   */
  public CircuitBreakerConfig circuitBreaker() {
    return circuitBreaker;
  }

  /**
   * Returns the prefix of every L2 key and channel.
   *
   * @return letters, digits and {@code . _ : -}, possibly empty
   */
  public String keyPrefix() {
    return keyPrefix;
  }

  /**
   * Returns the fraction by which every time to live is spread, up or down.
   *
   * @return a fraction within [0, 0.5]
   */
  public double ttlJitter() {
    return ttlJitter;
  }

  /**
   * Returns how long L1 remembers that the loader found nothing.
   *
   * @return a positive duration, or empty when absences are not remembered
   */
  public Optional<Duration> absentTtl() {
    return Optional.ofNullable(absentTtl);
  }

  /**
   * Returns how long a distributed load lock lives if its holder dies.
   *
   * @return a positive duration, or empty when loads take no distributed lock
   */
  public Optional<Duration> loadLockLease() {
    return Optional.ofNullable(loadLockLease);
  }

  /**
   * Returns how long a process waits for another's load before loading by itself.
   *
   * @return a positive duration, or zero when loads take no distributed lock
   */
  public Duration loadLockWait() {
    return loadLockWait;
  }

  /**
   * Returns XFetch's beta: how eagerly hot entries are refreshed before they expire.
   *
   * @return a positive beta, or 0 when early refresh is off
   */
  public double earlyRefreshBeta() {
    return earlyRefreshBeta;
  }

  /**
   * Tells whether L1 hits are counted in the statistics.
   *
   * @return true if they are
   */
  public boolean recordStats() {
    return recordStats;
  }

  /**
   * Returns how {@code put} reaches the host's store of record.
   *
   * @return the write mode
   */
  public WriteMode writeMode() {
    return writeMode;
  }

  /**
   * Returns the most keys one write-behind batch holds.
   *
   * @return a positive size with {@link WriteMode#WRITE_BEHIND}, else 0
   */
  public int writeBehindBatchSize() {
    return writeBehindBatchSize;
  }

  /**
   * Returns the longest time a queued write waits for its batch.
   *
   * @return a positive duration with {@link WriteMode#WRITE_BEHIND}, else zero
   */
  public Duration writeBehindInterval() {
    return writeBehindInterval;
  }

  /**
   * Returns the most keys the write-behind queue holds.
   *
   * @return at least {@link #writeBehindBatchSize()} with {@link WriteMode#WRITE_BEHIND}, else 0
   */
  public int writeBehindMaxPending() {
    return writeBehindMaxPending;
  }

  /**
   * Returns how many keys missing from every level a {@code getAll} loads at once.
   *
   * @return at least 1; 8 by default
   */
  public int parallelLoads() {
    return parallelLoads;
  }

  /**
   * Returns how long {@code put} waits for room in a full write-behind queue before it throws.
   *
   * @return a positive duration; 10 s by default
   */
  public Duration writeBehindEnqueueTimeout() {
    return writeBehindEnqueueTimeout;
  }

  /**
   * Returns how long closing the cache keeps retrying a failing write-behind writer before it gives
   * up on the writes left.
   *
   * @return a positive duration; 30 s by default
   */
  public Duration writeBehindCloseTimeout() {
    return writeBehindCloseTimeout;
  }

  @Override
  public String toString() {
    return "TieredCacheConfig{l1MaximumSize="
        + l1MaximumSize
        + ", l1Ttl="
        + l1Ttl
        + ", l2Ttl="
        + l2Ttl
        + ", l2Timeout="
        + l2Timeout
        + ", l1StaleWindow="
        + l1StaleWindow
        + ", keyPrefix='"
        + keyPrefix
        + "', ttlJitter="
        + ttlJitter
        + ", absentTtl="
        + absentTtl
        + ", loadLockLease="
        + loadLockLease
        + ", loadLockWait="
        + loadLockWait
        + ", earlyRefreshBeta="
        + earlyRefreshBeta
        + ", recordStats="
        + recordStats
        + ", writeMode="
        + writeMode
        + (writeMode == WriteMode.WRITE_BEHIND
            ? ", writeBehind(batchSize="
                + writeBehindBatchSize
                + ", interval="
                + writeBehindInterval
                + ", maxPending="
                + writeBehindMaxPending
                + ")"
            : "")
        + ", writeBehindEnqueueTimeout="
        + writeBehindEnqueueTimeout
        + ", writeBehindCloseTimeout="
        + writeBehindCloseTimeout
        + "}";
  }

  /**
   * Builds a {@link TieredCacheConfig}. Each setter validates its value at once. Not thread-safe;
   * {@link #build()} may be called several times, and a built configuration never changes when the
   * builder does afterwards.
   */
  public static final class Builder {
    private long l1MaximumSize = 10_000;
    private Duration l1Ttl = Duration.ofMinutes(5);
    private Duration l2Ttl = Duration.ofHours(1);
    private Duration l2Timeout = Duration.ofMillis(250);
    private CircuitBreakerConfig circuitBreaker = DEFAULT_BREAKER;
    private String keyPrefix = "lintel:";
    private double ttlJitter = 0.1;
    private @Nullable Duration absentTtl;
    private @Nullable Duration loadLockLease;
    private Duration loadLockWait = Duration.ZERO;
    private double earlyRefreshBeta;
    private boolean recordStats;
    private WriteMode writeMode = WriteMode.CACHE_ASIDE;
    private int writeBehindBatchSize;
    private Duration writeBehindInterval = Duration.ZERO;
    private int writeBehindMaxPending;
    private Duration writeBehindEnqueueTimeout = Duration.ofSeconds(10);
    private Duration writeBehindCloseTimeout = Duration.ofSeconds(30);
    private int parallelLoads = 8;
    private Duration l1StaleWindow = Duration.ofMillis(500);

    private Builder() {}

    private Builder(TieredCacheConfig base) {
      this.l1MaximumSize = base.l1MaximumSize;
      this.l1Ttl = base.l1Ttl;
      this.l2Ttl = base.l2Ttl;
      this.l2Timeout = base.l2Timeout;
      this.circuitBreaker = base.circuitBreaker;
      this.keyPrefix = base.keyPrefix;
      this.ttlJitter = base.ttlJitter;
      this.absentTtl = base.absentTtl;
      this.loadLockLease = base.loadLockLease;
      this.loadLockWait = base.loadLockWait;
      this.earlyRefreshBeta = base.earlyRefreshBeta;
      this.recordStats = base.recordStats;
      this.writeMode = base.writeMode;
      this.writeBehindBatchSize = base.writeBehindBatchSize;
      this.writeBehindInterval = base.writeBehindInterval;
      this.writeBehindMaxPending = base.writeBehindMaxPending;
      this.writeBehindEnqueueTimeout = base.writeBehindEnqueueTimeout;
      this.writeBehindCloseTimeout = base.writeBehindCloseTimeout;
      this.parallelLoads = base.parallelLoads;
      this.l1StaleWindow = base.l1StaleWindow;
    }

    /**
     * Sets how many keys missing from every level one {@code getAll} loads at once: the calling
     * thread and up to {@code loads - 1} tasks on the cache's executor call the loader in parallel,
     * each key still loaded once (and, with the distributed load lock, once cluster-wide); 8 by
     * default, 1 loads one key after another.
     *
     * @param loads at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder parallelLoads(int loads) {
      if (loads < 1) {
        throw new IllegalArgumentException("parallelLoads must be at least 1 but was " + loads);
      }
      this.parallelLoads = loads;
      return this;
    }

    /**
     * Sizes the local level; 10,000 entries and 5 minutes by default.
     *
     * @param maximumSize the most entries kept; positive
     * @param ttl how long an entry lives before jitter; positive
     * @return this builder
     * @throws IllegalArgumentException if a value is not positive
     */
    public Builder l1(long maximumSize, Duration ttl) {
      if (maximumSize <= 0) {
        throw new IllegalArgumentException(
            "L1 maximum size must be positive but was " + maximumSize);
      }
      this.l1Ttl = positive(ttl, "L1 ttl");
      this.l1MaximumSize = maximumSize;
      return this;
    }

    /**
     * Turns the local level off: every read goes to L2 (an L2-only cache, which needs a store).
     *
     * @return this builder
     */
    public Builder withoutL1() {
      this.l1MaximumSize = 0;
      return this;
    }

    /**
     * Sets how long a value lives in L2 before jitter; 1 hour by default.
     *
     * @param ttl the time to live; positive
     * @return this builder
     * @throws IllegalArgumentException if the ttl is not positive
     */
    public Builder l2Ttl(Duration ttl) {
      this.l2Ttl = positive(ttl, "L2 ttl");
      return this;
    }

    /**
     * Sets how long an L2 call may take before it counts as failed; 250 ms by default.
     *
     * @param timeout the timeout; positive
     * @return this builder
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public Builder l2Timeout(Duration timeout) {
      this.l2Timeout = positive(timeout, "L2 timeout");
      return this;
    }

    /**
     * Sets how long L1 keeps answering after the invalidation channel went down (connection
     * dropped, subscription lost); 500 ms by default. Past it, reads bypass L1 and go to L2 and the
     * loader until the channel is confirmed again, when L1 is cleared. Zero stops L1 at once. The
     * L1 time to live remains the backstop for a loss the store cannot notice.
     *
     * @param window zero or positive
     * @return this builder
     * @throws IllegalArgumentException if the window is negative
     */
    public Builder l1StaleWindow(Duration window) {
      Objects.requireNonNull(window, "window");
      if (window.isNegative()) {
        throw new IllegalArgumentException(
            "L1 stale window must not be negative but was " + window);
      }
      this.l1StaleWindow = window;
      return this;
    }

    /**
     * Replaces the default L2 circuit breaker settings (opens at 50% failures of the last 20 calls,
     * at least 5; half-opens after 2 s).
     *
     * @param config the resilience4j configuration
     * @return this builder
     */
    public Builder circuitBreaker(CircuitBreakerConfig config) {
      this.circuitBreaker = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Sets the prefix of every L2 key and channel; {@code lintel:} by default. L2 keys are {@code
     * prefix + namespace + ":" + encoded key}.
     *
     * @param prefix letters, digits and {@code . _ : -}, at most 100 characters
     * @return this builder
     * @throws IllegalArgumentException if the prefix has other characters
     */
    public Builder keyPrefix(String prefix) {
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
     * Spreads each time to live by up to ± this fraction; 0.1 by default.
     *
     * @param fraction between 0 and 0.5
     * @return this builder
     * @throws IllegalArgumentException if the fraction is outside [0, 0.5]
     */
    public Builder ttlJitter(double fraction) {
      if (!(fraction >= 0 && fraction <= 0.5)) {
        throw new IllegalArgumentException(
            "TTL jitter must be within [0, 0.5] but was " + fraction);
      }
      this.ttlJitter = fraction;
      return this;
    }

    /**
     * Remembers in L1 that the loader found nothing for a key, for a short time, so that lookups of
     * keys that do not exist do not all reach the source (penetration guard). Off by default.
     *
     * @param ttl how long an absence is remembered; positive
     * @return this builder
     * @throws IllegalArgumentException if the ttl is not positive
     */
    public Builder cacheAbsent(Duration ttl) {
      this.absentTtl = positive(ttl, "absent ttl");
      return this;
    }

    /**
     * Stops remembering absences (the default).
     *
     * @return this builder
     */
    public Builder withoutAbsentCaching() {
      this.absentTtl = null;
      return this;
    }

    /**
     * Loads each key at most once across processes: the loader runs under a lock in L2, and
     * processes that find the lock taken wait for the value in L2. The cache needs a store. Off by
     * default.
     *
     * @param lease how long a lock lives if its holder dies; longer than a load takes; positive
     * @param wait how long a process waits for another's load before loading itself; positive
     * @return this builder
     * @throws IllegalArgumentException if a duration is not positive
     */
    public Builder distributedLoadLock(Duration lease, Duration wait) {
      Duration checkedLease = positive(lease, "lock lease");
      this.loadLockWait = positive(wait, "lock wait");
      this.loadLockLease = checkedLease;
      return this;
    }

    /**
     * Loads without a distributed lock (the default): each process loads a missing key once.
     *
     * @return this builder
     */
    public Builder withoutDistributedLoadLock() {
      this.loadLockLease = null;
      this.loadLockWait = Duration.ZERO;
      return this;
    }

    /**
     * Refreshes hot keys in the background before they expire, with XFetch's probability: a hit
     * refreshes when {@code now − loadTime × beta × ln(random) ≥ expiry}. 1.0 is the paper's
     * choice; larger refreshes earlier. Off by default.
     *
     * @param beta positive
     * @return this builder
     * @throws IllegalArgumentException if beta is not positive
     */
    public Builder earlyRefresh(double beta) {
      if (!(beta > 0) || Double.isInfinite(beta)) {
        throw new IllegalArgumentException(
            "early refresh beta must be positive and finite but was " + beta);
      }
      this.earlyRefreshBeta = beta;
      return this;
    }

    /**
     * Lets entries expire without early refresh (the default).
     *
     * @return this builder
     */
    public Builder withoutEarlyRefresh() {
      this.earlyRefreshBeta = 0;
      return this;
    }

    /**
     * Counts L1 hits too, or not (the default). As in Caffeine, an L1 hit is the cache's hottest
     * path, and a shared counter on it costs about a third of its throughput on two cores. Every
     * other counter of {@link TieredCache#stats()} is always kept, as it is off that path.
     *
     * @param enabled whether to count L1 hits
     * @return this builder
     */
    public Builder recordStats(boolean enabled) {
      this.recordStats = enabled;
      return this;
    }

    /**
     * Writes cache-aside (the default): the host writes its store, then calls {@code put} or {@code
     * invalidate}; the cache has no writer.
     *
     * @return this builder
     */
    public Builder cacheAside() {
      this.writeMode = WriteMode.CACHE_ASIDE;
      return this;
    }

    /**
     * Writes through: {@code put} persists with the cache's writer first and changes the cache only
     * if it succeeded. The cache needs a writer.
     *
     * @return this builder
     */
    public Builder writeThrough() {
      this.writeMode = WriteMode.WRITE_THROUGH;
      return this;
    }

    /**
     * Writes behind: {@code put} changes the cache at once and queues the write; a flush thread
     * hands the cache's writer batches of up to {@code batchSize} keys when a batch is full or
     * {@code interval} passed, each key once with its latest value, retrying failures with backoff.
     * {@code put} waits while {@code maxPending} keys are queued (up to {@link
     * #writeBehindEnqueueTimeout}, then throws). The cache needs a writer.
     *
     * <p>What a crash loses: the queued writes, at most {@code maxPending} keys, at a steady rate
     * about one interval's worth ({@link TieredCache#writeBehindDepth()} shows it). Closing the
     * cache writes them all first.
     *
     * @param batchSize the largest batch; positive
     * @param interval the longest time a write waits for its batch; positive
     * @param maxPending the most keys queued; at least {@code batchSize}
     * @return this builder
     * @throws IllegalArgumentException if a value is out of range
     */
    public Builder writeBehind(int batchSize, Duration interval, int maxPending) {
      if (batchSize <= 0 || maxPending < batchSize) {
        throw new IllegalArgumentException(
            "write-behind needs 0 < batchSize <= maxPending but was batchSize="
                + batchSize
                + ", maxPending="
                + maxPending);
      }
      this.writeBehindInterval = positive(interval, "write-behind interval");
      this.writeBehindBatchSize = batchSize;
      this.writeBehindMaxPending = maxPending;
      this.writeMode = WriteMode.WRITE_BEHIND;
      return this;
    }

    /**
     * Sets how long {@code put} waits for room in a full write-behind queue before it throws a
     * {@code CacheException}; 10 s by default.
     *
     * @param timeout the wait; positive
     * @return this builder
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public Builder writeBehindEnqueueTimeout(Duration timeout) {
      this.writeBehindEnqueueTimeout = positive(timeout, "write-behind enqueue timeout");
      return this;
    }

    /**
     * Sets how long closing the cache keeps retrying a failing write-behind writer before it gives
     * up and logs how many keys were not written; 30 s by default.
     *
     * @param timeout the time; positive
     * @return this builder
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public Builder writeBehindCloseTimeout(Duration timeout) {
      this.writeBehindCloseTimeout = positive(timeout, "write-behind close timeout");
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return an immutable configuration
     */
    public TieredCacheConfig build() {
      return new TieredCacheConfig(this);
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
