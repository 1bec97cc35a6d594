package dev.lintel.core.internal;

import dev.lintel.ShuttingDownException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Admits work until {@link #close()} and then tells when admitted work has drained.
 *
 * <p>This sits on the hot path of every dispatch, so it avoids a shared counter: each thread counts
 * its own work in progress in a slot only it writes. Admission is a Dekker-style handshake. The
 * worker publishes its count with a volatile write (one full fence) and then reads {@code open};
 * {@link #close()} writes {@code open} and then reads every slot. Under the Java memory model's
 * total order of volatile accesses at least one side sees the other's write: either the worker sees
 * the gate closed and backs out, or the closer sees the worker's count and waits for it. Leaving is
 * a release store, which costs nothing on x86. Work admitted on one thread and finished on another
 * (asynchronous dispatch) is counted in a shared {@link AtomicLong} instead.
 *
 * <p>A slot lives in a {@link ThreadLocal} and is listed here only weakly, so slots of threads that
 * have died are collected; a thread cannot die with work in progress because leaving runs in a
 * {@code finally} block.
 */
public final class DispatchGate {
  private static final VarHandle DEPTH;

  static {
    try {
      DEPTH = MethodHandles.lookup().findVarHandle(Slot.class, "depth", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String owner;
  private final ThreadLocal<Slot> slots = ThreadLocal.withInitial(this::newSlot);
  private final Queue<WeakReference<Slot>> allSlots = new ConcurrentLinkedQueue<>();
  private final AtomicLong handedOff = new AtomicLong();
  private volatile boolean open = true;

  /**
   * Creates an open gate.
   *
   * @param owner names the component in the exception that refuses work
   */
  public DispatchGate(String owner) {
    this.owner = owner;
  }

  /**
   * Admits work on the calling thread; the caller must call {@link #leave()} in a {@code finally}.
   *
   * @param work names the refused work in the exception
   * @throws ShuttingDownException if the gate is closed
   */
  public void enter(Object work) {
    Slot slot = slots.get();
    long depth = slot.depth;
    DEPTH.setVolatile(slot, depth + 1);
    if (!open) {
      DEPTH.setRelease(slot, depth);
      throw refused(work);
    }
  }

  /** Ends work admitted by {@link #enter(Object)} on this thread. */
  public void leave() {
    Slot slot = slots.get();
    DEPTH.setRelease(slot, slot.depth - 1);
  }

  /**
   * Admits work that another thread will finish; that thread must call {@link #leaveHandedOff()}.
   *
   * @param work names the refused work in the exception
   * @throws ShuttingDownException if the gate is closed
   */
  public void enterHandedOff(Object work) {
    handedOff.incrementAndGet();
    if (!open) {
      handedOff.decrementAndGet();
      throw refused(work);
    }
  }

  /** Ends work admitted by {@link #enterHandedOff(Object)}, on any thread. */
  public void leaveHandedOff() {
    handedOff.decrementAndGet();
  }

  /** Refuses all work from now on. Idempotent. */
  public void close() {
    open = false;
  }

  /**
   * Tells whether the gate still admits work.
   *
   * @return false once {@link #close()} was called
   */
  public boolean isOpen() {
    return open;
  }

  /**
   * Counts the work in progress at this moment.
   *
   * @return admitted work that has not yet left
   */
  public long inFlight() {
    long total = handedOff.get();
    for (Iterator<WeakReference<Slot>> it = allSlots.iterator(); it.hasNext(); ) {
      Slot slot = it.next().get();
      if (slot == null) {
        it.remove();
      } else {
        total += (long) DEPTH.getVolatile(slot);
      }
    }
    return total;
  }

  /**
   * Waits until the work admitted before {@link #close()} has left, or the timeout passes. Call it
   * after closing; work keeps draining after a timeout, it is just no longer waited for.
   *
   * @param timeout how long to wait at most
   * @return true if nothing is in flight any more
   */
  public boolean awaitDrained(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = 10_000;
    while (inFlight() > 0) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      LockSupport.parkNanos(pause);
      pause = Math.min(pause * 2, 5_000_000);
    }
    return true;
  }

  private Slot newSlot() {
    Slot slot = new Slot();
    allSlots.add(new WeakReference<>(slot));
    return slot;
  }

  private ShuttingDownException refused(Object work) {
    return new ShuttingDownException(
        owner + " is shutting down and refused " + describe(work) + "; it was not started");
  }

  private static String describe(Object work) {
    return work instanceof Class<?> type ? type.getName() : work.getClass().getName();
  }

  /** One thread's count of work in progress; written only by that thread. */
  private static final class Slot {
    long depth;
  }
}
