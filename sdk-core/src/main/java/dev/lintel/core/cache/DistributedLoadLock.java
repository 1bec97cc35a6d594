package dev.lintel.core.cache;

import dev.lintel.TimeSource;
import dev.lintel.cache.CacheException;
import dev.lintel.cache.KeyCodec;
import dev.lintel.core.cache.RemoteLevel.Unavailable;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One load per key across processes: the loader runs under a lock in the shared level, and the
 * processes that find the lock taken wait for the value to appear there. Thread-safe.
 */
final class DistributedLoadLock<K> {

  /*
   * Design.
   *
   * The lock is SET key token NX PX lease with a random token per attempt, released by a
   * compare-and-delete of that token (RemoteCacheStore.tryLock/unlock), so a holder whose lease ran
   * out never releases the next holder's lock. A lock holder first reads L2 again: the previous
   * holder may have stored the value between our miss and our lock.
   *
   * A waiter polls L2 with backoff (5 ms doubling to 50 ms) and takes the lock itself when it finds
   * it free, so a released lock without a value (the holder's loader failed) costs one poll. It
   * never waits longer than the lock wait, measured on the cache's time source: then it loads by
   * itself, so a dead holder delays callers by at most that long, and an unreachable L2 (breaker
   * open, timeout) makes it load at once. The polls sleep in real time; only the deadline is read
   * on the time source, so a test can move it instead of waiting it out.
   */

  /** Logs under the facade's name, which hosts already tune. */
  private static final Logger log = LoggerFactory.getLogger(TieredCache.class);

  private static final long FIRST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final long LONGEST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final RemoteLevel remote;
  private final KeyCodec<K> keys;
  private final String lockPrefix;
  private final Duration lease;
  private final Duration wait;
  private final TimeSource time;
  private final String namespace;

  DistributedLoadLock(
      RemoteLevel remote,
      KeyCodec<K> keys,
      String lockPrefix,
      Duration lease,
      Duration wait,
      TimeSource time,
      String namespace) {
    this.remote = remote;
    this.keys = keys;
    this.lockPrefix = lockPrefix;
    this.lease = lease;
    this.wait = wait;
    this.time = time;
    this.namespace = namespace;
  }

  /**
   * Produces the value of a key once across processes.
   *
   * @param readShared reads the key from L2 (and fills L1); null when L2 has nothing
   * @param loadHere calls the loader and stores the value in both levels
   * @return the value one of them produced
   * @throws CacheException if the thread was interrupted while waiting
   * @throws RuntimeException what {@code loadHere} threw
   */
  <V> @Nullable V load(K key, Supplier<@Nullable V> readShared, Supplier<@Nullable V> loadHere) {
    String lockKey = lockPrefix + keys.encode(key);
    String token = UUID.randomUUID().toString();
    long deadline = time.nanoTime() + wait.toNanos();
    long pollNanos = FIRST_POLL_NANOS;
    while (true) {
      boolean acquired;
      try {
        acquired = remote.call(() -> remote.store.tryLock(lockKey, token, lease));
      } catch (Unavailable e) {
        return loadHere.get();
      }
      if (acquired) {
        try {
          V value = readShared.get(); // the previous holder may have written it just now
          return value != null ? value : loadHere.get();
        } finally {
          remote.tryCall(
              () -> remote.store.unlock(lockKey, token), "release the load lock of " + key);
        }
      }
      if (time.nanoTime() - deadline >= 0) {
        log.debug(
            "Cache '{}': waited {} for the load of {}; loading it here", namespace, wait, key);
        return loadHere.get();
      }
      sleepNanos(pollNanos);
      pollNanos = Math.min(pollNanos * 2, LONGEST_POLL_NANOS);
      V value = readShared.get();
      if (value != null) {
        return value;
      }
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
}
