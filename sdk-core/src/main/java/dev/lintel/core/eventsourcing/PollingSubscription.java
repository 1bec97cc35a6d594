package dev.lintel.core.eventsourcing;

import dev.lintel.eventsourcing.EventHandler;
import dev.lintel.eventsourcing.EventStore;
import dev.lintel.eventsourcing.EventStoreException;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.eventsourcing.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers all events from a position on a thread of its own: it reads a batch after the last
 * delivered position, hands each event to the handler, and when caught up waits for a wake-up (a
 * local append, a notification) or its next poll. Polling adapts: 5 ms after events were found,
 * doubling with each read that finds none, up to the polling interval. Because positions increase
 * in commit order, reading after the last delivered position never skips a late commit and never
 * repeats an event.
 *
 * <p>A storage failure (a lost connection) is logged and retried with backoff from the same
 * position; a handler failure or an unreadable event stops the subscription with that failure.
 */
final class PollingSubscription implements Subscription {
  private static final Logger log = LoggerFactory.getLogger(PollingSubscription.class);
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final int BATCH = 512;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  private static final long FIRST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final EventStore store;
  private final EventHandler handler;
  private final SubscriptionSignal signal;
  private final Duration pollInterval;
  private final Thread thread;
  private volatile long lastPosition;
  private volatile boolean running = true;
  private volatile @Nullable Throwable failure;

  private PollingSubscription(
      EventStore store,
      long fromPosition,
      EventHandler handler,
      SubscriptionSignal signal,
      Duration pollInterval) {
    this.store = store;
    this.handler = handler;
    this.signal = signal;
    this.pollInterval = pollInterval;
    this.lastPosition = fromPosition - 1;
    this.thread = new Thread(this::run, "lintel-subscription-" + THREADS.incrementAndGet());
    thread.setDaemon(true);
  }

  static PollingSubscription start(
      EventStore store,
      long fromPosition,
      EventHandler handler,
      SubscriptionSignal signal,
      Duration pollInterval) {
    PollingSubscription subscription =
        new PollingSubscription(store, fromPosition, handler, signal, pollInterval);
    subscription.thread.start();
    return subscription;
  }

  @Override
  public long lastPosition() {
    return lastPosition;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public @Nullable Throwable failure() {
    return failure;
  }

  @Override
  public void close() {
    running = false;
    signal.wake();
    if (Thread.currentThread() != thread) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    long backoffNanos = 0;
    long pollNanos = pollInterval.toNanos();
    while (running) {
      long seen = signal.generation();
      List<RecordedEvent> batch;
      try {
        batch = store.readAll(lastPosition + 1, BATCH);
        if (backoffNanos > 0) {
          log.info("Subscription resumed reading after position {}", lastPosition);
        }
        backoffNanos = 0;
      } catch (EventStoreException e) {
        backoffNanos = Math.min(Math.max(backoffNanos * 2, 50_000_000L), MAX_BACKOFF.toNanos());
        log.warn(
            "Subscription could not read after position {}; retrying in {} ms",
            lastPosition,
            backoffNanos / 1_000_000,
            e);
        LockSupport.parkNanos(backoffNanos);
        continue;
      } catch (RuntimeException e) {
        stop(e, "reading after position " + lastPosition);
        return;
      }
      for (RecordedEvent event : batch) {
        if (!running) {
          return;
        }
        try {
          handler.handle(event);
        } catch (Exception | Error e) {
          stop(e, "handling the event at position " + event.position());
          return;
        }
        lastPosition = event.position();
      }
      if (batch.isEmpty()) {
        signal.await(seen, Duration.ofNanos(pollNanos));
        pollNanos = Math.min(pollNanos * 2, pollInterval.toNanos());
      } else {
        pollNanos = Math.min(FIRST_POLL_NANOS, pollInterval.toNanos());
      }
    }
  }

  private void stop(Throwable cause, String doing) {
    failure = cause;
    running = false;
    log.error("Subscription stopped while {}", doing, cause);
  }
}
