package dev.lintel.core.eventsourcing;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** Wakes a store's subscriptions when it appends, so local events arrive without polling delay. */
final class SubscriptionSignal {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition appended = lock.newCondition();
  private long generation;

  long generation() {
    lock.lock();
    try {
      return generation;
    } finally {
      lock.unlock();
    }
  }

  void wake() {
    lock.lock();
    try {
      generation++;
      appended.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until a wake-up after {@code seen}, or the timeout; returns early if interrupted. */
  void await(long seen, Duration timeout) {
    lock.lock();
    try {
      long nanos = timeout.toNanos();
      while (generation == seen && nanos > 0) {
        nanos = appended.awaitNanos(nanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }
}
