package dev.lintel.core.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys this node changed while the shared level could not take the change (the L2 write or
 * delete, or the invalidation message, failed): other nodes may still hold the old value in L2 or
 * L1. They are sent again, as an L2 delete plus an invalidation message, as soon as the shared
 * level answers again: after the next change that reached it, when the invalidation channel is
 * back, and (at most every {@value #RETRY_MILLIS} ms) when a read goes past L1. Past {@code
 * maxKeys}, the whole namespace is invalidated instead ({@code *}).
 *
 * <p>Thread-safe; one flush runs at a time, on the cache's executor.
 */
final class UnsentInvalidations<K> {
  /** Logs under the facade's name, which hosts already tune. */
  private static final Logger log = LoggerFactory.getLogger(TieredCache.class);

  private static final long RETRY_MILLIS = 100;
  private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS);

  private final Set<K> keys = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean flushing = new AtomicBoolean();
  private final int maxKeys;
  private final SharedLevel<K, ?> shared;
  private final InvalidationChannel<K> channel;
  private final Executor executor;
  private final String namespace;
  private volatile boolean overflowed;
  private volatile long triedAt = System.nanoTime() - RETRY_NANOS;

  UnsentInvalidations(
      int maxKeys,
      SharedLevel<K, ?> shared,
      InvalidationChannel<K> channel,
      Executor executor,
      String namespace) {
    this.maxKeys = maxKeys;
    this.shared = shared;
    this.channel = channel;
    this.executor = executor;
    this.namespace = namespace;
  }

  /** Remembers a key whose change did not reach the shared level or the other nodes. */
  void add(K key) {
    if (overflowed || (keys.size() >= maxKeys && !keys.contains(key))) {
      overflowed = true;
      return;
    }
    keys.add(key);
  }

  /** How many keys wait to be sent again (the namespace counts as one when overflowed). */
  int pending() {
    return overflowed ? keys.size() + 1 : keys.size();
  }

  /**
   * Like {@link #flushSoon()}, at most every {@value #RETRY_MILLIS} ms (a real wait): for the read
   * path, which calls it on every lookup past L1 while Redis may still be away.
   */
  void retrySoon() {
    if (pending() == 0) {
      return;
    }
    long now = System.nanoTime();
    if (now - triedAt >= RETRY_NANOS) {
      triedAt = now;
      flushSoon();
    }
  }

  /** Sends what is pending again on the executor, unless nothing is or a flush already runs. */
  void flushSoon() {
    if (pending() == 0 || !flushing.compareAndSet(false, true)) {
      return;
    }
    try {
      executor.execute(
          () -> {
            try {
              flush();
            } finally {
              flushing.set(false);
            }
          });
    } catch (RejectedExecutionException e) {
      flushing.set(false); // the next trigger tries again
    }
  }

  /** Sends each pending change again; stops at the first failure (the level is still away). */
  void flush() {
    if (overflowed) {
      overflowed = false;
      shared.deleteMatching("*");
      if (!channel.publishPattern("*")) {
        overflowed = true;
        return;
      }
      log.info("Cache '{}': re-sent an invalidation of the whole namespace", namespace);
    }
    List<K> snapshot = new ArrayList<>(keys);
    for (K key : snapshot) {
      keys.remove(key); // before sending: a change that fails meanwhile adds it back
      if (!shared.delete(key) || !channel.publishKey(key)) {
        add(key);
        return;
      }
    }
    if (!snapshot.isEmpty()) {
      log.info(
          "Cache '{}': re-sent {} invalidations that could not reach the other nodes before",
          namespace,
          snapshot.size());
    }
  }
}
