package dev.lintel.core.pipeline;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A stage's bounded input: an array ring under one lock, as {@link
 * java.util.concurrent.ArrayBlockingQueue} is, that also moves items in groups. {@link
 * #putAll(Object[], int)} puts many under one lock and wakes the takers once per stretch put, and
 * {@link #drainTo(List, int)} takes many and wakes the putters once, so a busy boundary costs one
 * lock and at most one wake-up per group rather than per item.
 */
final class HandOffQueue {
  private final Object[] items;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private int takeIndex;
  private int putIndex;
  private int count;

  HandOffQueue(int capacity) {
    this.items = new Object[capacity];
  }

  int capacity() {
    return items.length;
  }

  /** Puts one item, waiting for room. */
  void put(Object item) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (count == items.length) {
        notFull.await();
      }
      enqueue(item);
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Puts one item if there is room. */
  boolean offer(Object item) {
    lock.lock();
    try {
      if (count == items.length) {
        return false;
      }
      enqueue(item);
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Puts the first {@code n} items in order, waiting for room as often as needed. */
  void putAll(Object[] group, int n) throws InterruptedException {
    int next = 0;
    lock.lockInterruptibly();
    try {
      while (next < n) {
        while (count == items.length) {
          notFull.await();
        }
        int stretch = Math.min(n - next, items.length - count);
        for (int i = 0; i < stretch; i++) {
          enqueue(group[next++]);
        }
        if (stretch == 1) {
          notEmpty.signal();
        } else {
          notEmpty.signalAll();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Takes the oldest item, or null when empty. */
  @Nullable Object poll() {
    lock.lock();
    try {
      return count == 0 ? null : dequeueAndSignal();
    } finally {
      lock.unlock();
    }
  }

  /** Takes the oldest item, waiting for one. */
  Object take() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (count == 0) {
        notEmpty.await();
      }
      return dequeueAndSignal();
    } finally {
      lock.unlock();
    }
  }

  /** Takes the oldest item, waiting at most {@code timeout}; null if none came. */
  @Nullable Object poll(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    lock.lockInterruptibly();
    try {
      while (count == 0) {
        if (nanos <= 0) {
          return null;
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      return dequeueAndSignal();
    } finally {
      lock.unlock();
    }
  }

  /** Moves up to {@code max} of the oldest items to {@code to}, without waiting. */
  int drainTo(List<Object> to, int max) {
    lock.lock();
    try {
      int n = Math.min(max, count);
      for (int i = 0; i < n; i++) {
        to.add(dequeue());
      }
      if (n == 1) {
        notFull.signal();
      } else if (n > 1) {
        notFull.signalAll();
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  /** How many items wait. */
  int size() {
    lock.lock();
    try {
      return count;
    } finally {
      lock.unlock();
    }
  }

  boolean contains(Object item) {
    lock.lock();
    try {
      for (int i = 0, at = takeIndex; i < count; i++, at = (at + 1) % items.length) {
        if (items[at] == item) {
          return true;
        }
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  private void enqueue(Object item) {
    items[putIndex] = item;
    putIndex = putIndex + 1 == items.length ? 0 : putIndex + 1;
    count++;
  }

  private Object dequeue() {
    Object item = items[takeIndex];
    items[takeIndex] = null;
    takeIndex = takeIndex + 1 == items.length ? 0 : takeIndex + 1;
    count--;
    return item;
  }

  private Object dequeueAndSignal() {
    Object item = dequeue();
    notFull.signal();
    return item;
  }
}
