package dev.lintel.core.pipeline;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Keeps an ordered stage's output in input order with a bounded window.
 *
 * <p>Workers take items one at a time under a take lock and number them in taking order. A worker
 * may only start on item {@code n} while {@code n < nextOut + size}: at most {@code size} items are
 * between the oldest not yet handed on and the newest started, so at most {@code size} finished
 * items wait in the slots. A finished item is put into its slot ({@code n % size}); the worker that
 * finds nobody handing on becomes the one that does, handing on consecutive finished items from
 * {@code nextOut} outside the lock, so a full next stage blocks only it. Items the error policy
 * skipped or dead-lettered leave an empty marker that just advances the window.
 */
final class ReorderWindow {
  private static final Object NOTHING = new Object();

  private final Object[] slots;
  private final int size;
  private final Emitter downstream;
  private final StageCounters counters;
  private final ReentrantLock takeLock = new ReentrantLock();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition room = lock.newCondition();
  private long nextSeq;
  private long nextOut;
  private boolean handingOn;

  ReorderWindow(int size, Emitter downstream, StageCounters counters) {
    this.size = size;
    this.slots = new Object[size];
    this.downstream = downstream;
    this.counters = counters;
  }

  /** Takes the next input and numbers it in {@code seq[0]}; waits while the window is full. */
  Object take(HandOffQueue input, long[] seq) throws InterruptedException {
    takeLock.lockInterruptibly();
    try {
      Object taken = input.take();
      if (taken == Stage.END) {
        return taken;
      }
      lock.lockInterruptibly();
      try {
        while (nextSeq - nextOut >= size) {
          room.await();
        }
        seq[0] = nextSeq++;
      } finally {
        lock.unlock();
      }
      return taken;
    } finally {
      takeLock.unlock();
    }
  }

  /** Puts a finished item (null when it went nowhere) and hands on what is next in order. */
  void complete(long seq, @Nullable Envelope finished) throws InterruptedException {
    lock.lock();
    try {
      slots[(int) (seq % size)] = finished == null ? NOTHING : finished;
      if (handingOn) {
        return;
      }
      handingOn = true;
      while (true) {
        int slot = (int) (nextOut % size);
        Object next = slots[slot];
        if (next == null) {
          handingOn = false;
          return;
        }
        slots[slot] = null;
        nextOut++;
        room.signalAll();
        if (next != NOTHING) {
          Envelope envelope = (Envelope) next;
          lock.unlock();
          try {
            counters.passed(envelope.items);
            downstream.emit(envelope);
          } finally {
            lock.lock();
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }
}
