package dev.lintel.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Limits requests per key (the principal, else the client address, or a key of your own) with a
 * token bucket of {@code capacity} tokens refilled at {@code perSecond}. A refused request gets 429
 * with {@code Retry-After} (whole seconds until a token is back).
 *
 * <p>Each bucket is one {@link AtomicLong} updated by compare-and-set, as the generic cell rate
 * algorithm (GCRA) does: it holds the theoretical arrival time of the next request, which is
 * equivalent to a token bucket's level. Admission is lock-free, allocates nothing, and is exact
 * under any number of threads. Buckets of keys not seen for ten minutes are dropped.
 */
public final class RateLimitFilter implements Filter {
  private final long intervalNanos;
  private final long burstNanos;
  private final Function<Request, String> key;
  private final LongSupplier nanoTime;
  private final Cache<String, AtomicLong> buckets =
      Caffeine.newBuilder()
          .expireAfterAccess(Duration.ofMinutes(10))
          .maximumSize(1_000_000)
          .build();

  private RateLimitFilter(
      long capacity, double perSecond, Function<Request, String> key, LongSupplier nanoTime) {
    this.intervalNanos = Math.max(1, (long) (TimeUnit.SECONDS.toNanos(1) / perSecond));
    this.burstNanos = capacity * intervalNanos;
    this.key = key;
    this.nanoTime = nanoTime;
  }

  /**
   * Limits each principal (or, unauthenticated, each client address).
   *
   * @param capacity the burst: tokens a full bucket holds; positive
   * @param perSecond the refill rate; positive
   * @return the filter
   * @throws IllegalArgumentException if a value is not positive
   */
  public static RateLimitFilter perPrincipal(long capacity, double perSecond) {
    return keyedBy(
        capacity,
        perSecond,
        request ->
            request.principal() != null
                ? "p:" + request.principal()
                : "ip:" + request.remoteAddress());
  }

  /**
   * Limits per a key of your own.
   *
   * @param capacity the burst; positive
   * @param perSecond the refill rate; positive
   * @param key picks the bucket of a request
   * @return the filter
   * @throws IllegalArgumentException if a value is not positive
   */
  public static RateLimitFilter keyedBy(
      long capacity, double perSecond, Function<Request, String> key) {
    return keyedBy(capacity, perSecond, key, System::nanoTime);
  }

  static RateLimitFilter keyedBy(
      long capacity, double perSecond, Function<Request, String> key, LongSupplier nanoTime) {
    if (capacity <= 0 || !(perSecond > 0)) {
      throw new IllegalArgumentException(
          "rate limit needs a positive capacity and rate but was " + capacity + ", " + perSecond);
    }
    return new RateLimitFilter(capacity, perSecond, Objects.requireNonNull(key, "key"), nanoTime);
  }

  @Override
  public Response filter(Request request, Chain next) throws Exception {
    long waitNanos = tryAcquire(key.apply(request));
    if (waitNanos > 0) {
      long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
      return Response.text(429, "too many requests")
          .withHeader("Retry-After", Long.toString(seconds));
    }
    return next.proceed(request);
  }

  /**
   * Takes a token for a key.
   *
   * @return 0 if taken, else how long until one is back, in nanoseconds
   */
  long tryAcquire(String bucket) {
    AtomicLong arrival = buckets.get(bucket, k -> new AtomicLong(Long.MIN_VALUE));
    while (true) {
      long now = nanoTime.getAsLong();
      long theoretical = arrival.get();
      long start = theoretical == Long.MIN_VALUE || theoretical - now < 0 ? now : theoretical;
      long next = start + intervalNanos;
      long ahead = next - now;
      if (ahead > burstNanos) {
        return ahead - burstNanos;
      }
      if (arrival.compareAndSet(theoretical, next)) {
        return 0;
      }
    }
  }
}
