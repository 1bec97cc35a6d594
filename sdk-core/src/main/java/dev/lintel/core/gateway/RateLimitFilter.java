package dev.lintel.core.gateway;

import dev.lintel.TimeSource;
import dev.lintel.core.internal.GatewayExchange;
import dev.lintel.gateway.Filter;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Limits requests per key (the principal, else the client address, or a key of your own) with a
 * token bucket of {@code capacity} tokens refilled at {@code perSecond}. A refused request gets 429
 * with {@code Retry-After} (whole seconds until a token is back).
 *
 * <p>The time of a request is when the pipeline took it, read once by the pipeline from its {@link
 * TimeSource}, so inside a pipeline the filter reads no clock of its own. Used outside a pipeline
 * ({@link Filter#around}, direct calls) it reads the time source it was built with ({@link
 * TimeSource#system()} by default); give the pipeline and the filter the same time source.
 *
 * <p>Each key has a {@link TokenBucket}: lock-free and exact under any number of threads. Every
 * 10,000 new keys, buckets that are full again (the same as new ones) are dropped, so idle keys do
 * not accumulate; dropping is atomic with taking a token, so it never admits an extra request.
 * Thread-safe.
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
  private final TimeSource timeSource;
  private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final AtomicInteger created = new AtomicInteger();
  private final AtomicBoolean sweepDue = new AtomicBoolean();

  private RateLimitFilter(
      long capacity, double perSecond, Function<Request, String> key, TimeSource timeSource) {
    this.capacity = capacity;
    this.perSecond = perSecond;
    this.key = key;
    this.timeSource = timeSource;
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
    return keyedBy(capacity, perSecond, key, TimeSource.system());
  }

  /**
   * Limits per a key of your own, reading the given time source when used outside a pipeline.
   *
   * @param capacity the burst; positive
   * @param perSecond the refill rate; positive
   * @param key picks the bucket of a request
   * @param timeSource the time of requests that did not come through a pipeline; the same as the
   *     pipeline's, if the filter is used in one too
   * @return the filter
   * @throws IllegalArgumentException if a value is not positive
   */
  public static RateLimitFilter keyedBy(
      long capacity, double perSecond, Function<Request, String> key, TimeSource timeSource) {
    TokenBucket.of(capacity, perSecond); // validates
    return new RateLimitFilter(
        capacity,
        perSecond,
        Objects.requireNonNull(key, "key"),
        Objects.requireNonNull(timeSource, "timeSource"));
  }

  private TokenBucket newBucket(String bucketKey) {
    if (created.incrementAndGet() % SWEEP_EVERY == 0) {
      sweepDue.set(true); // not here: the map must not change while it computes a value
    }
    return TokenBucket.of(capacity, perSecond, timeSource);
  }

  /** Drops full buckets (the same as new ones), so idle keys do not accumulate. */
  private void sweep(long now) {
    buckets.forEach(
        (bucketKey, bucket) -> {
          if (bucket.retireIfFull(now)) {
            buckets.remove(bucketKey, bucket);
          }
        });
  }

  @Override
  public Response filter(Request request, Chain next) throws Exception {
    String bucketKey = key.apply(request);
    GatewayExchange exchange = GatewayExchange.of(next);
    long now = exchange != null ? exchange.arrivalNanos() : timeSource.nanoTime();
    long waitNanos;
    while (true) {
      TokenBucket bucket = buckets.get(bucketKey);
      if (bucket == null) {
        bucket = buckets.computeIfAbsent(bucketKey, this::newBucket);
        if (sweepDue.get() && sweepDue.compareAndSet(true, false)) {
          sweep(now); // may retire the bucket just made: then the loop takes a fresh one
        }
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
