package dev.lintel.core.pipeline;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The pipeline-wide account of items: every item read ends in exactly one of processed, skipped,
 * dead-lettered or dropped. When checkpointing, it also keeps the items not yet finished in read
 * order, to tell the source position below which everything is finished.
 */
final class Ledger {
  private final LongAdder processed = new LongAdder();
  private final LongAdder skipped = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final @Nullable ConcurrentLinkedQueue<Envelope> open;
  private final boolean tracked;
  private final AtomicLong read = new AtomicLong();
  private long nextSeq; // the source thread's own copy of read
  private volatile long readEnd;

  Ledger(boolean trackPositions, long startPosition) {
    this.open = trackPositions ? new ConcurrentLinkedQueue<>() : null;
    this.tracked = trackPositions;
    this.readEnd = startPosition;
  }

  /** Accounts for an item just read; called by the one source thread. */
  Envelope admit(Object value, @Nullable Object origin, long start, long end) {
    Envelope envelope = Envelope.read(value, nextSeq, origin, start, end);
    if (open != null) {
      open.add(envelope); // before readEnd moves, so a checkpoint never passes it (see checkpoint)
      readEnd = end;
    }
    nextSeq++;
    read.lazySet(nextSeq); // a cheap ordered store: reports may lag by an item, never run ahead
    return envelope;
  }

  /**
   * Numbers an item read that will be accounted for in a batch ({@link #admitBatch}) or on its own
   * when it fails; called by the one source thread.
   */
  long number() {
    return nextSeq++;
  }

  /** How many items were numbered so far; called by the source thread. */
  long numbered() {
    return nextSeq;
  }

  /** Publishes how many items were numbered; called by the source thread. */
  void publishRead() {
    read.lazySet(nextSeq);
  }

  /**
   * Accounts for a batch the source thread made without an envelope per item: for checkpoints it is
   * one open item spanning its parts' positions.
   */
  void admitBatch(Envelope batch) {
    if (open != null) {
      open.add(batch);
      readEnd = batch.end;
    }
    publishRead();
  }

  /** Moves the end of what was read to {@code end} when every item before it was finished. */
  void finishedUpTo(long end) {
    if (open != null) {
      readEnd = end;
    }
    publishRead();
  }

  /**
   * Marks an item processed without counting it: a worker that handles a group of items counts them
   * once with {@link #countProcessed(long)} (before it can exit, so the final count is exact).
   */
  void finishProcessed(Envelope envelope) {
    envelope.finish(tracked);
  }

  void countProcessed(long items) {
    if (items > 0) {
      processed.add(items);
    }
  }

  void skipped(Envelope envelope) {
    skipped.add(envelope.items);
    envelope.finish(tracked);
  }

  void deadLettered(Envelope envelope) {
    deadLettered.add(envelope.items);
    envelope.finish(tracked);
  }

  void dropped(Envelope envelope) {
    dropped.add(envelope.items);
    envelope.finish(tracked);
  }

  /**
   * The source position below which every item is finished: the start of the oldest unfinished
   * item, or the end of the last item read when none is unfinished. {@code readEnd} is read before
   * the queue: an item admitted after that read is not covered by the value read.
   */
  long checkpoint() {
    long end = readEnd;
    ConcurrentLinkedQueue<Envelope> queue = open;
    if (queue == null) {
      return end;
    }
    Envelope head;
    while ((head = queue.peek()) != null && head.isDone()) {
      queue.poll();
    }
    return head == null ? end : head.start;
  }

  long read() {
    return read.get();
  }

  long processed() {
    return processed.sum();
  }

  long skipped() {
    return skipped.sum();
  }

  long deadLettered() {
    return deadLettered.sum();
  }

  long dropped() {
    return dropped.sum();
  }

  long finished() {
    return processed() + skipped() + deadLettered() + dropped();
  }
}
