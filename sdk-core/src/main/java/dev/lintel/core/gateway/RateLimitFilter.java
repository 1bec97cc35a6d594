package dev.lintel.core.gateway;

import dev.lintel.gateway.Filter;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Limits requests per key (the principal, else the client address, or a key of your own) with a
 * token bucket of {@code capacity} tokens refilled at {@code perSecond}. A refused request gets 429
 * with {@code Retry-After} (whole seconds until a token is back).
 *
 * <p>The time of a request is when the pipeline took it ({@link Request#receivedNanos()}), so the
 * filter reads no clock of its own. Each key has a {@link TokenBucket}: lock-free and exact under
 * any number of threads. Every 10,000 new keys, buckets that are full again (the same as new ones)
 * are dropped, so idle keys do not accumulate; dropping is atomic with taking a token, so it never
 * admits an extra request.
 */
public final class RateLimitFilter implements Filter {
  private static final int SWEEP_EVERY = 10_000;

  /** The bucket key of {@link #perPrincipal}: the principal, else the client's address. */
  public static final Function<Request, String> PRINCIPAL_OR_ADDRESS =
      request ->
          request.principal() != null
              ? "p:" + request.principal()
              : "ip:" + request.remoteAddress();

  private final long capacity;
  private final double perSecond;
  private final Function<Request, String> key;
  private final @Nullable LongSupplier clock;
  private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final AtomicInteger created = new AtomicInteger();

  private RateLimitFilter(
      long capacity,
      double perSecond,
      Function<Request, String> key,
      @Nullable LongSupplier clock) {
    this.capacity = capacity;
    this.perSecond = perSecond;
    this.key = key;
    this.clock = clock;
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
    return keyedBy(capacity, perSecond, PRINCIPAL_OR_ADDRESS);
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
    return keyedBy(capacity, perSecond, key, null);
  }

  /** With a clock of the test's; null for the system clock, read once per request. */
  static RateLimitFilter keyedBy(
      long capacity,
      double perSecond,
      Function<Request, String> key,
      @Nullable LongSupplier clock) {
    TokenBucket.of(capacity, perSecond); // validates
    return new RateLimitFilter(capacity, perSecond, Objects.requireNonNull(key, "key"), clock);
  }

  private TokenBucket newBucket(String bucketKey) {
    if (created.incrementAndGet() % SWEEP_EVERY == 0) {
      sweep();
    }
    return clock == null
        ? TokenBucket.of(capacity, perSecond)
        : TokenBucket.of(capacity, perSecond, clock);
  }

  /** Drops full buckets (the same as new ones), so idle keys do not accumulate. */
  private void sweep() {
    buckets.forEach(
        (bucketKey, bucket) -> {
          if (bucket.retireIfFull()) {
            buckets.remove(bucketKey, bucket);
          }
        });
  }

  /** The time of the request: when the pipeline took it, unless a test clock is set. */
  private long now(Request request) {
    if (clock != null) {
      return clock.getAsLong();
    }
    return Pipeline.arrivalNanos(request);
  }

  @Override
  public Response filter(Request request, Chain next) throws Exception {
    String bucketKey = key.apply(request);
    long now = now(request);
    long waitNanos;
    while (true) {
      TokenBucket bucket = buckets.get(bucketKey);
      if (bucket == null) {
        bucket = buckets.computeIfAbsent(bucketKey, this::newBucket);
      }
      waitNanos = bucket.acquireUnlessRetired(now);
      if (waitNanos != TokenBucket.RETIRED_SIGNAL) {
        break;
      }
      buckets.remove(bucketKey, bucket); // swept meanwhile: take the fresh one
    }
    if (waitNanos > 0) {
      long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
      return Response.text(429, "too many requests")
          .withHeader("Retry-After", Long.toString(seconds));
    }
    return next.proceed(request);
  }
}
