package dev.lintel.core.cache;

import dev.lintel.TimeSource;
import dev.lintel.cache.RemoteCacheStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared level as the tiered cache sees it: every call goes through a circuit breaker and a
 * timeout, and a failure of any kind becomes {@link Unavailable}, which callers treat as "no shared
 * level right now". Nothing here throws the store's exceptions to the cache's callers. The
 * durations reported to the breaker are read on the cache's time source; the timeout itself is a
 * real wait on the store's future.
 */
final class RemoteLevel {
  private static final Logger log = LoggerFactory.getLogger(RemoteLevel.class);

  final RemoteCacheStore store;
  final CircuitBreaker breaker;
  private final Duration timeout;
  private final TimeSource time;
  private final CacheCounters counters;
  private final String namespace;

  RemoteLevel(
      RemoteCacheStore store,
      CircuitBreaker breaker,
      Duration timeout,
      TimeSource time,
      CacheCounters counters,
      String namespace) {
    this.store = store;
    this.breaker = breaker;
    this.timeout = timeout;
    this.time = time;
    this.counters = counters;
    this.namespace = namespace;
  }

  Duration timeout() {
    return timeout;
  }

  /**
   * Runs a store call under the breaker and waits for it up to the timeout.
   *
   * @throws Unavailable when the breaker is open, the call failed or it timed out
   */
  <T> T call(Supplier<CompletableFuture<T>> operation) throws Unavailable {
    return call(operation, timeout);
  }

  /** Like {@link #call(Supplier)} with its own timeout, for long operations. */
  <T> T call(Supplier<CompletableFuture<T>> operation, Duration timeout) throws Unavailable {
    if (!breaker.tryAcquirePermission()) {
      counters.l2Errors.increment();
      throw Unavailable.INSTANCE;
    }
    long start = time.nanoTime();
    try {
      T result = operation.get().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      breaker.onSuccess(time.nanoTime() - start, TimeUnit.NANOSECONDS);
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      breaker.releasePermission();
      counters.l2Errors.increment();
      throw Unavailable.INSTANCE;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      breaker.onError(time.nanoTime() - start, TimeUnit.NANOSECONDS, cause);
      counters.l2Errors.increment();
      log.debug("Shared cache level failed for cache '{}': {}", namespace, cause.toString());
      throw Unavailable.INSTANCE;
    }
  }

  /** Like {@link #call} for writes whose failure the caller only logs. */
  <T> boolean tryCall(Supplier<CompletableFuture<T>> operation, String what) {
    try {
      call(operation);
      return true;
    } catch (Unavailable e) {
      if (breaker.getState() == CircuitBreaker.State.CLOSED) {
        log.warn("Cache '{}' could not {} in the shared level", namespace, what);
      } else {
        log.debug("Cache '{}' could not {} in the shared level (breaker open)", namespace, what);
      }
      return false;
    }
  }

  /**
   * Like {@link #tryCall} for a change other nodes must see (a write, a delete, an invalidation
   * message): while the breaker is open it is still attempted, bounded by the timeout, as a skipped
   * change would leave other nodes serving the old value. Only a call the breaker let through
   * reports its outcome to the breaker.
   */
  <T> boolean tryChange(Supplier<CompletableFuture<T>> operation, String what) {
    if (breaker.getState() == CircuitBreaker.State.CLOSED) {
      return tryCall(operation, what);
    }
    try {
      operation.get().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      log.debug("Cache '{}' could not {} in the shared level (breaker open)", namespace, what);
    }
    counters.l2Errors.increment();
    return false;
  }

  /** The shared level cannot be used right now; preallocated, as it is control flow. */
  static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;
    static final Unavailable INSTANCE = new Unavailable();

    private Unavailable() {
      super("shared cache level unavailable", null, false, false);
    }
  }
}
