package dev.lintel.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs test work on many threads released together by one latch, failing on any thread's error. */
public final class Concurrently {
  private Concurrently() {}

  /** Work one thread does. */
  @FunctionalInterface
  public interface ThreadWork {
    /**
     * Does the work.
     *
     * @param thread the thread's index, from 0
     * @throws Exception to fail the test
     */
    void run(int thread) throws Exception;
  }

  /**
   * Runs the work on {@code threads} threads started at the same moment, and waits for all.
   *
   * @param threads how many threads
   * @param work what each does
   * @throws Exception the first thread's failure (as the cause of an ExecutionException)
   */
  public static void run(int threads, ThreadWork work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int index = t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  work.run(index);
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> future : futures) {
        future.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
