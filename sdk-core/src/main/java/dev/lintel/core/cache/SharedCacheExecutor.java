package dev.lintel.core.cache;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor of every cache built without one: one pool per class loader, created on first use
 * and shared by all such caches, instead of a pool per cache. Bounded: at most {@link #THREADS}
 * daemon threads (twice the processors, at least 8), each ending after a minute idle, and at most
 * {@link #QUEUE_CAPACITY} waiting tasks; a task beyond that is refused. It is never shut down, so
 * closing one cache never disturbs another.
 */
final class SharedCacheExecutor {
  static final int THREADS = Math.max(8, 2 * Runtime.getRuntime().availableProcessors());
  static final int QUEUE_CAPACITY = 10_000;

  private SharedCacheExecutor() {}

  static Executor get() {
    return Holder.POOL;
  }

  /** Creates the pool on first use (the holder idiom: lazy, thread-safe, no lock). */
  private static final class Holder {
    static final ThreadPoolExecutor POOL = create();
  }

  private static ThreadPoolExecutor create() {
    AtomicInteger threads = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            1,
            TimeUnit.MINUTES,
            new LinkedBlockingQueue<>(QUEUE_CAPACITY),
            task -> {
              Thread thread = new Thread(task, "lintel-cache-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
