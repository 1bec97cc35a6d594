package dev.lintel.jdbc.eventsourcing;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Group commit: coalesces the concurrent appends of one store into shared transactions. A caller
 * queues its batch; if no group is being written, it becomes the leader and writes the batches
 * queued (its own first among them, in arrival order, up to the group limits) in one transaction,
 * hands each caller its own outcome, and goes on until its own batch is written. Callers that find
 * a leader at work wait for it. When the leader leaves, it wakes the first caller still queued,
 * which leads the next group.
 *
 * <p>A lone caller goes straight through: it leads a group of one, with no added wait. A failure of
 * a group's transaction fails each of its callers with that failure, and nothing of the group was
 * written. Thread-safe.
 */
final class GroupCommit {

  /** Writes a group of batches in one transaction. */
  @FunctionalInterface
  interface GroupWriter {
    List<AppendBatch.Outcome> write(List<AppendBatch> batches) throws SQLException;
  }

  private final ConcurrentLinkedQueue<Waiter> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean leading = new AtomicBoolean();
  private final int maxEvents;
  private final long maxBytes;
  private final GroupWriter writer;
  private final StoreStats stats;

  /**
   * @param maxEvents the most events in a group, unless its first batch alone has more
   * @param maxBytes the most bytes of JSON in a group, unless its first batch alone has more
   * @param writer writes a group
   * @param stats where group sizes are recorded
   */
  GroupCommit(int maxEvents, long maxBytes, GroupWriter writer, StoreStats stats) {
    this.maxEvents = maxEvents;
    this.maxBytes = maxBytes;
    this.writer = writer;
    this.stats = stats;
  }

  /**
   * Writes a batch, alone or in a group.
   *
   * @param batch the batch
   * @return its outcome, committed
   * @throws SQLException if its group's transaction failed; nothing of the batch was written
   */
  AppendBatch.Outcome append(AppendBatch batch) throws SQLException {
    Waiter waiter = new Waiter(batch, Thread.currentThread());
    queue.add(waiter);
    boolean interrupted = false;
    while (!waiter.isDone()) {
      if (leading.compareAndSet(false, true)) {
        try {
          while (!waiter.isDone()) {
            writeGroup(nextGroup());
          }
        } finally {
          leading.set(false);
          Waiter next = queue.peek();
          if (next != null) {
            LockSupport.unpark(next.thread);
          }
        }
      } else {
        LockSupport.park(this);
        // A batch in a group being written cannot be taken back: finish, then restore the flag.
        interrupted |= Thread.interrupted();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return waiter.outcome();
  }

  /** Takes the queued callers, oldest first, as long as the group stays within its limits. */
  private List<Waiter> nextGroup() {
    List<Waiter> group = new ArrayList<>();
    long events = 0;
    long bytes = 0;
    for (Waiter next = queue.peek(); next != null; next = queue.peek()) {
      int size = next.batch.size();
      long batchBytes = next.batch.bytes();
      if (!group.isEmpty() && (events + size > maxEvents || bytes + batchBytes > maxBytes)) {
        break;
      }
      group.add(queue.poll());
      events += size;
      bytes += batchBytes;
    }
    return group;
  }

  private void writeGroup(List<Waiter> group) {
    List<AppendBatch> batches = new ArrayList<>(group.size());
    group.forEach(waiter -> batches.add(waiter.batch));
    stats.grouped(group.size());
    try {
      List<AppendBatch.Outcome> outcomes = writer.write(batches);
      for (int i = 0; i < group.size(); i++) {
        group.get(i).complete(outcomes.get(i), null);
      }
    } catch (SQLException | RuntimeException | Error e) {
      group.forEach(waiter -> waiter.complete(null, e));
    }
  }

  /** A queued caller and, once its group was written, what became of its batch. */
  private static final class Waiter {
    final AppendBatch batch;
    final Thread thread;
    private AppendBatch.@Nullable Outcome outcome;
    private @Nullable Throwable failure;
    private volatile boolean done;

    Waiter(AppendBatch batch, Thread thread) {
      this.batch = batch;
      this.thread = thread;
    }

    boolean isDone() {
      return done;
    }

    void complete(AppendBatch.@Nullable Outcome result, @Nullable Throwable error) {
      this.outcome = result;
      this.failure = error;
      this.done = true;
      if (thread != Thread.currentThread()) {
        LockSupport.unpark(thread);
      }
    }

    AppendBatch.Outcome outcome() throws SQLException {
      if (failure instanceof SQLException e) {
        throw e;
      }
      if (failure instanceof RuntimeException e) {
        throw e;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      return Objects.requireNonNull(outcome);
    }
  }
}
