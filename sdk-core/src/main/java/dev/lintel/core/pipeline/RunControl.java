package dev.lintel.core.pipeline;

import dev.lintel.TimeSource;
import dev.lintel.pipeline.PipelineException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What every thread of one running pipeline shares: the ledger, the flags that stop it (stop
 * reading, cancelled, failed), and the count of live threads whose last exit ends the run.
 */
final class RunControl {
  final String pipeline;
  final Ledger ledger;
  final TimeSource time;
  final @Nullable Function<Object, String> keyOf;
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final AtomicInteger live = new AtomicInteger();
  private final AtomicReference<@Nullable PipelineException> failure = new AtomicReference<>();
  private final Runnable onTerminated;
  private volatile boolean stopReading;
  private volatile boolean cancelled;

  RunControl(
      String pipeline,
      Ledger ledger,
      TimeSource time,
      @Nullable Function<Object, String> keyOf,
      Runnable onTerminated) {
    this.pipeline = pipeline;
    this.ledger = ledger;
    this.time = time;
    this.keyOf = keyOf;
    this.onTerminated = onTerminated;
  }

  /** Registers a thread before any is started, so the live count cannot reach zero early. */
  void register(Thread thread) {
    threads.add(thread);
    live.incrementAndGet();
  }

  void startAll() {
    for (Thread thread : threads) {
      thread.start();
    }
  }

  /** Called last by every registered thread; the last one ends the run. */
  void exited() {
    if (live.decrementAndGet() == 0) {
      onTerminated.run();
    }
  }

  /** Records the first failure and cancels the rest; later failures are consequences. */
  void fail(PipelineException error) {
    if (failure.compareAndSet(null, error)) {
      stopReading = true;
      interruptAll();
    }
  }

  void cancel() {
    cancelled = true;
    stopReading = true;
    interruptAll();
  }

  void stopReading() {
    stopReading = true;
  }

  /** Whether the source should stop reading: set by a stop, a cancel and a failure alike. */
  boolean readingStopped() {
    return stopReading;
  }

  /** True once the run is being torn down: work in hand is abandoned, not finished. */
  boolean aborted() {
    return cancelled || failure.get() != null;
  }

  boolean cancelled() {
    return cancelled;
  }

  @Nullable PipelineException failure() {
    return failure.get();
  }

  private void interruptAll() {
    Thread self = Thread.currentThread();
    for (Thread thread : threads) {
      if (thread != self) {
        thread.interrupt();
      }
    }
  }
}
