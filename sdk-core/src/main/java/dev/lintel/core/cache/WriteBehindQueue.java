package dev.lintel.core.cache;

import dev.lintel.cache.CacheException;
import dev.lintel.cache.CacheWriter;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-behind buffer of one cache: a bounded map of pending writes, coalesced per key (a newer
 * value replaces an unwritten older one), flushed by one thread in batches when a batch is full or
 * the flush interval passed, retried with exponential backoff, and drained on {@link #close}.
 *
 * <p><b>What a crash loses:</b> the writes still pending, at most {@code maxPending} keys and, at a
 * steady rate, about one flush interval's worth (plus the batch being retried while the writer is
 * failing). A graceful {@link #close} writes everything unless the writer keeps failing past the
 * close timeout; what is left then is logged with its count.
 */
final class WriteBehindQueue<K, V> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WriteBehindQueue.class);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final String namespace;
  private final CacheWriter<K, V> writer;
  private final int batchSize;
  private final int maxPending;
  private final long flushIntervalNanos;
  private final Duration enqueueTimeout;
  private final Duration closeTimeout;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition batchReady = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final LinkedHashMap<K, V> pending = new LinkedHashMap<>();
  private final LongAdder written = new LongAdder();
  private final LongAdder failedAttempts = new LongAdder();
  private final Thread flusher;
  private int inFlight;
  private volatile boolean closing;

  /*
   * On the system clock, not the cache's TimeSource: every wait here (the flush interval, the
   * backoff, close's join) is a real wait, and a deadline on a clock a test never moves would keep
   * the flush thread retrying a failing writer forever after close.
   */
  private volatile long closeDeadline;

  WriteBehindQueue(
      String namespace,
      CacheWriter<K, V> writer,
      int batchSize,
      Duration flushInterval,
      int maxPending,
      Duration enqueueTimeout,
      Duration closeTimeout) {
    this.namespace = namespace;
    this.writer = writer;
    this.batchSize = batchSize;
    this.maxPending = maxPending;
    this.flushIntervalNanos = flushInterval.toNanos();
    this.enqueueTimeout = enqueueTimeout;
    this.closeTimeout = closeTimeout;
    this.flusher = new Thread(this::flushLoop, "lintel-cache-" + namespace + "-write-behind");
    flusher.setDaemon(true);
    flusher.start();
  }

  /**
   * Queues a write, replacing a pending one for the same key. Waits while the queue is full.
   *
   * @throws CacheException if the queue stayed full for the enqueue timeout, or is closed
   */
  void enqueue(K key, V value) {
    lock.lock();
    try {
      long waitNanos = enqueueTimeout.toNanos();
      while (pending.size() >= maxPending && !pending.containsKey(key)) {
        if (closing) {
          break;
        }
        if (waitNanos <= 0) {
          throw new CacheException(
              "Write-behind queue of cache '"
                  + namespace
                  + "' is full ("
                  + maxPending
                  + " keys) for "
                  + enqueueTimeout.toMillis()
                  + " ms; the writer is too slow or failing; key '"
                  + key
                  + "' was not written",
              null);
        }
        waitNanos = notFull.awaitNanos(waitNanos);
      }
      if (closing) {
        throw new CacheException(
            "Cache '" + namespace + "' is closed; key '" + key + "' was not written", null);
      }
      pending.put(key, value);
      if (pending.size() >= batchSize) {
        batchReady.signal();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheException(
          "Interrupted while waiting for room in the write-behind queue of cache '"
              + namespace
              + "'; key '"
              + key
              + "' was not written",
          e);
    } finally {
      lock.unlock();
    }
  }

  /** Writes not yet handed to the writer, plus the batch the writer is working on. */
  int depth() {
    lock.lock();
    try {
      return pending.size() + inFlight;
    } finally {
      lock.unlock();
    }
  }

  long written() {
    return written.sum();
  }

  long failedAttempts() {
    return failedAttempts.sum();
  }

  private void flushLoop() {
    long backoffNanos = TimeUnit.MILLISECONDS.toNanos(50);
    Map<K, V> batch = null;
    while (true) {
      Thread.interrupted(); // our own thread: a writer that left the flag set must not spin us
      if (batch == null) {
        batch = nextBatch();
        if (batch == null) {
          return; // closing and drained
        }
        if (batch.isEmpty()) {
          batch = null;
          continue;
        }
      }
      try {
        writer.writeAll(batch);
        written.add(batch.size());
        batch = null;
        backoffNanos = TimeUnit.MILLISECONDS.toNanos(50);
        finishBatch();
      } catch (Throwable e) { // even an Error from the writer must not kill the flush thread
        failedAttempts.increment();
        log.warn(
            "Write-behind writer of cache '{}' failed for {} keys; retrying in {} ms",
            namespace,
            batch.size(),
            TimeUnit.NANOSECONDS.toMillis(backoffNanos),
            e);
        if (closing && closeDeadlinePassed()) {
          log.error(
              "Cache '{}' closed with {} write-behind keys unwritten (the writer kept failing)",
              namespace,
              batch.size() + pendingCount());
          return;
        }
        sleep(backoffNanos);
        backoffNanos = Math.min(backoffNanos * 2, MAX_BACKOFF_NANOS);
      }
    }
  }

  private boolean closeDeadlinePassed() {
    return System.nanoTime() - closeDeadline > 0;
  }

  private int pendingCount() {
    lock.lock();
    try {
      return pending.size();
    } finally {
      lock.unlock();
    }
  }

  /** Waits for a full batch, the interval or close; returns null when closing and empty. */
  private Map<K, V> nextBatch() {
    lock.lock();
    try {
      long waitNanos = flushIntervalNanos;
      while (pending.size() < batchSize && !closing && waitNanos > 0) {
        waitNanos = batchReady.awaitNanos(waitNanos);
      }
      if (pending.isEmpty()) {
        return closing ? null : new LinkedHashMap<>();
      }
      LinkedHashMap<K, V> batch = new LinkedHashMap<>();
      Iterator<Map.Entry<K, V>> it = pending.entrySet().iterator();
      while (it.hasNext() && batch.size() < batchSize) {
        Map.Entry<K, V> entry = it.next();
        batch.put(entry.getKey(), entry.getValue());
        it.remove();
      }
      inFlight = batch.size();
      notFull.signalAll();
      return batch;
    } catch (InterruptedException e) {
      return closing && pending.isEmpty() ? null : new LinkedHashMap<>();
    } finally {
      lock.unlock();
    }
  }

  private void finishBatch() {
    lock.lock();
    try {
      inFlight = 0;
    } finally {
      lock.unlock();
    }
  }

  private static void sleep(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      // the flush thread is ours and is stopped through `closing`, not interrupts
    }
  }

  /** Stops accepting writes and waits for the flusher to write what is pending. */
  @Override
  public void close() {
    lock.lock();
    try {
      closeDeadline = System.nanoTime() + closeTimeout.toNanos();
      closing = true;
      batchReady.signalAll();
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      flusher.join(closeTimeout.toMillis() + 1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int left = depth();
    if (left > 0) {
      log.error("Cache '{}' closed with {} write-behind keys unwritten", namespace, left);
    }
  }
}
