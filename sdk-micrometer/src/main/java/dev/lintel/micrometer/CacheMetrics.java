package dev.lintel.micrometer;

import dev.lintel.core.cache.TieredCache;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one {@link TieredCache}, tagged {@code cache=<namespace>}. Names follow
 * Micrometer's {@code CaffeineCacheMetrics} where they mean the same ({@code cache.gets}, {@code
 * cache.load}, {@code cache.load.duration}, {@code cache.evictions}), with a {@code level} tag for
 * the two levels. Every meter reads the cache's counters when the registry is scraped.
 */
final class CacheMetrics {
  private CacheMetrics() {}

  static void register(TieredCache<?, ?> cache, MeterSink sink, MeterRegistry registry) {
    Tags tags = Tags.of("cache", cache.namespace());
    counter(
        sink,
        registry,
        "cache.gets",
        tags.and("result", "hit", "level", "l1"),
        cache,
        c -> c.stats().l1Hits(),
        "Reads answered by L1 (counted only with recordStats)");
    counter(
        sink,
        registry,
        "cache.gets",
        tags.and("result", "miss", "level", "l1"),
        cache,
        c -> c.stats().l1Misses(),
        "Reads L1 could not answer");
    counter(
        sink,
        registry,
        "cache.gets",
        tags.and("result", "hit", "level", "l2"),
        cache,
        c -> c.stats().l2Hits(),
        "Reads answered by L2");
    counter(
        sink,
        registry,
        "cache.gets",
        tags.and("result", "miss", "level", "l2"),
        cache,
        c -> c.stats().l2Misses(),
        "Reads L2 did not hold");
    counter(
        sink,
        registry,
        "cache.load",
        tags.and("result", "success"),
        cache,
        c -> c.stats().loads(),
        "Successful loader calls");
    counter(
        sink,
        registry,
        "cache.load",
        tags.and("result", "failure"),
        cache,
        c -> c.stats().loadFailures(),
        "Loader calls that threw");
    counter(
        sink,
        registry,
        "cache.evictions",
        tags,
        cache,
        c -> c.stats().l1Evictions(),
        "Entries L1 dropped for size or expiry");
    counter(
        sink,
        registry,
        "cache.l2.errors",
        tags,
        cache,
        c -> c.stats().l2Errors(),
        "L2 calls that failed, timed out or met an open breaker");
    counter(
        sink,
        registry,
        "cache.invalidations",
        tags.and("direction", "sent"),
        cache,
        TieredCache::invalidationsSent,
        "Invalidations published to other nodes");
    counter(
        sink,
        registry,
        "cache.invalidations",
        tags.and("direction", "received"),
        cache,
        c -> c.stats().invalidationsReceived(),
        "Invalidations received from other nodes");
    sink.track(
        registry,
        TimeGauge.builder(
                "cache.load.duration", cache, TimeUnit.NANOSECONDS, TieredCache::totalLoadTimeNanos)
            .tags(tags)
            .description("Total time spent in the loader")
            .register(registry));
    sink.track(
        registry,
        Gauge.builder("cache.write.behind.pending", cache, TieredCache::writeBehindDepth)
            .tags(tags)
            .description("Writes the write-behind queue holds unconfirmed")
            .register(registry));
    if (cache.breakerState().isPresent()) {
      sink.track(
          registry,
          Gauge.builder(
                  "cache.invalidation.channel.down",
                  cache,
                  c -> c.invalidationChannelDown() ? 1 : 0)
              .tags(tags)
              .description(
                  "1 while the invalidation channel is down (L1 bypassed past its stale window)")
              .register(registry));
      for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
        sink.track(
            registry,
            Gauge.builder(
                    "cache.breaker.state",
                    cache,
                    c -> c.breakerState().orElse(CircuitBreaker.State.CLOSED) == state ? 1 : 0)
                .tags(tags.and("state", state.name().toLowerCase(Locale.ROOT)))
                .description("1 for the L2 circuit breaker's current state, 0 for the others")
                .register(registry));
      }
    }
  }

  private static <T> void counter(
      MeterSink sink,
      MeterRegistry registry,
      String name,
      Tags tags,
      T source,
      ToDoubleFunction<T> count,
      String description) {
    sink.track(
        registry,
        FunctionCounter.builder(name, source, count)
            .tags(tags)
            .description(description)
            .register(registry));
  }
}
