package dev.lintel.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.lintel.TimeSource;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The local level (L1): a Caffeine cache in process. An entry holds the value itself, {@link
 * #ABSENT} for a remembered absence, or, with early refresh, a {@link TimedValue}; each entry has
 * its own jittered time to live through Caffeine's variable expiry, read on the cache's {@link
 * TimeSource}. A level built with size 0 is off: it holds nothing and counts nothing. It answers
 * only while its {@link CoherenceGate} lets it (see {@link
 * TieredCacheConfig.Builder#l1StaleWindow}).
 *
 * <p>Thread-safe. The hit path ({@link #hit}, {@link #unwrap}) allocates nothing and, with the
 * system time source, hands Caffeine its own system ticker, so it costs what a raw Caffeine read
 * costs.
 */
final class LocalLevel<K, V> {
  /** Stands in for a remembered absence (the loader returned null). */
  static final Object ABSENT = new Object();

  private final @Nullable Cache<K, Object> cache;
  private final CacheCounters counters;
  private final boolean countHits;
  private final long ttlNanos;
  private final long absentTtlNanos;
  private final boolean timed;
  private final TtlJitter jitter;
  private final TimeSource time;
  private final CoherenceGate gate;

  LocalLevel(
      TieredCacheConfig config,
      TimeSource time,
      TtlJitter jitter,
      CacheCounters counters,
      CoherenceGate gate) {
    this.counters = counters;
    this.gate = gate;
    this.countHits = config.recordStats();
    this.ttlNanos = config.l1Ttl().toNanos();
    this.absentTtlNanos = config.absentTtl().map(ttl -> ttl.toNanos()).orElse(0L);
    this.timed = config.earlyRefreshBeta() > 0;
    this.jitter = jitter;
    this.time = time;
    this.cache = config.l1MaximumSize() > 0 ? build(config.l1MaximumSize(), time) : null;
  }

  private Cache<K, Object> build(long maximumSize, TimeSource time) {
    return Caffeine.newBuilder()
        .maximumSize(maximumSize)
        .ticker(tickerOf(time))
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
            (K key, Object stored, RemovalCause cause) -> counters.l1Evictions.increment())
        .build();
  }

  /**
   * Caffeine reads time through a {@link Ticker}. The system time source gets Caffeine's own system
   * ticker, so the hit path's ticker call stays the one raw Caffeine makes (monomorphic, inlined);
   * any other time source is read through a small adapter.
   */
  static Ticker tickerOf(TimeSource time) {
    return time == TimeSource.system() ? Ticker.systemTicker() : new TimeSourceTicker(time);
  }

  private long timeToLive(Object stored) {
    if (stored instanceof TimedValue timedValue) {
      return timedValue.ttlNanos;
    }
    return jitter.apply(stored == ABSENT ? absentTtlNanos : ttlNanos);
  }

  boolean enabled() {
    return cache != null;
  }

  /**
   * Returns what L1 holds for a key and counts the miss (and the hit, with {@code recordStats}).
   * While the {@link CoherenceGate} is closed, every lookup is a miss.
   *
   * @return a value, {@link #ABSENT} or a {@link TimedValue}; null on a miss
   */
  @Nullable Object hit(K key) {
    Cache<K, Object> l1 = cache;
    if (l1 == null) {
      return null;
    }
    Object stored = gate.l1Usable() ? l1.getIfPresent(key) : null;
    if (stored == null) {
      counters.l1Misses.increment();
      return null;
    }
    if (countHits) {
      counters.l1Hits.increment();
    }
    return stored;
  }

  /** Like {@link #hit}, without counting: a lookup looking again before it goes further. */
  @Nullable Object peek(K key) {
    Cache<K, Object> l1 = cache;
    return l1 == null || !gate.l1Usable() ? null : l1.getIfPresent(key);
  }

  /** The value L1 stored, or null for a remembered absence. */
  @SuppressWarnings("unchecked")
  @Nullable V unwrap(Object stored) {
    if (stored == ABSENT) {
      return null;
    }
    if (timed && stored instanceof TimedValue timedValue) {
      return (V) timedValue.value;
    }
    return (V) stored;
  }

  /**
   * Stores what a lookup found, unless an invalidation detached the lookup meanwhile.
   *
   * @param value the value, or {@link #ABSENT}
   * @param computeNanos how long the load took (XFetch's delta); 0 for a value read from L2
   */
  void fill(K key, Object value, Load<K, V> load, long computeNanos) {
    Cache<K, Object> l1 = cache;
    if (l1 == null) {
      return;
    }
    Object stored = toStore(value, computeNanos);
    // Atomic with the invalidation's removal of the key: a lookup that an invalidation detached
    // never stores what it read before it.
    l1.asMap().compute(key, (k, old) -> load.detached ? old : stored);
  }

  /** Remembers that the loader found nothing, when absences are remembered. */
  void fillAbsent(K key, Load<K, V> load, long computeNanos) {
    if (absentTtlNanos > 0) {
      fill(key, ABSENT, load, computeNanos);
    }
  }

  /** Stores a value written by the host. */
  void put(K key, V value) {
    Cache<K, Object> l1 = cache;
    if (l1 != null) {
      l1.put(key, toStore(value, 0));
    }
  }

  void invalidate(K key) {
    Cache<K, Object> l1 = cache;
    if (l1 != null) {
      l1.invalidate(key);
    }
  }

  void invalidateMatching(Predicate<? super K> matches) {
    Cache<K, Object> l1 = cache;
    if (l1 != null) {
      for (K key : l1.asMap().keySet()) {
        if (matches.test(key)) {
          l1.invalidate(key);
        }
      }
    }
  }

  void clear() {
    Cache<K, Object> l1 = cache;
    if (l1 != null) {
      l1.invalidateAll();
    }
  }

  /** What L1 keeps for a value: the value itself, or a {@link TimedValue} with early refresh. */
  private Object toStore(Object value, long computeNanos) {
    if (!timed || value == ABSENT) {
      return value;
    }
    long ttl = jitter.apply(ttlNanos);
    return new TimedValue(value, ttl, time.nanoTime() + ttl, computeNanos);
  }

  /** A {@link TimeSource} as Caffeine's {@link Ticker}. */
  private static final class TimeSourceTicker implements Ticker {
    private final TimeSource time;

    TimeSourceTicker(TimeSource time) {
      this.time = time;
    }

    @Override
    public long read() {
      return time.nanoTime();
    }
  }
}
