package dev.lintel.core.pipeline;

import dev.lintel.pipeline.Source;

/**
 * How the source thread hands items to the first stage: one at a time, or, for a source that never
 * waits for items (a collection or sized stream, a file, a catch-up read of an event store), in
 * groups: one lock and at most one wake-up of the stage's workers per group instead of per item. An
 * iterator or stream of unknown size may wait for its next item (over a queue, a socket, or
 * something the sink does), so its items are always handed on one at a time.
 *
 * <p>The group size adapts to the source's speed: it starts at one item, doubles after each group
 * that took under {@value #SLOW_NANOS} ns per item to read and pass the fused steps (up to {@value
 * #MAX_GROUP}, or a quarter of the stage's input), and falls back to one after a slower group. A
 * slow source so hands each item on at once, and a fast one that suddenly slows holds back at most
 * one group for one slow read. Groups are also handed on when reading stops.
 */
class ReadAhead {
  static final int MAX_GROUP = 64;
  static final long SLOW_NANOS = 10_000;

  final Emitter downstream;

  private ReadAhead(Emitter downstream) {
    this.downstream = downstream;
  }

  /** Groups for the sources known not to wait, when the first stage blocks rather than drops. */
  static ReadAhead forSource(Source<?> source, Emitter downstream) {
    boolean neverWaits =
        (source instanceof IteratorSource<?> items && items.length() >= 0) // a collection
            || source instanceof JsonLinesSource
            || (source instanceof EventStoreSource events && !events.waitsForEvents());
    Stage next = downstream.next();
    int size = Math.min(MAX_GROUP, next.input.capacity() / 4);
    return neverWaits && next.takesGroups() && size > 1
        ? new Grouping(downstream, size)
        : new ReadAhead(downstream);
  }

  /** Called before each read. */
  void beforeRead() throws InterruptedException {}

  /** Passes an item read on. */
  void emit(Envelope envelope) throws InterruptedException {
    downstream.emit(envelope);
  }

  /** Hands on what is held. */
  void flush() throws InterruptedException {}

  private static final class Grouping extends ReadAhead {
    private final Envelope[] group;
    private int target = 1;
    private int held;
    private int emitted; // items emitted into the current group, passed the steps or not
    private long groupStart = System.nanoTime();

    Grouping(Emitter downstream, int size) {
      super(downstream);
      this.group = new Envelope[size];
    }

    @Override
    void emit(Envelope envelope) throws InterruptedException {
      if (downstream.applySteps(envelope)) {
        group[held++] = envelope;
      }
      if (++emitted == target) {
        long now = System.nanoTime();
        boolean fast = now - groupStart < SLOW_NANOS * emitted;
        flush();
        target = fast ? Math.min(group.length, target * 2) : 1;
        groupStart = now;
      }
    }

    @Override
    void flush() throws InterruptedException {
      emitted = 0;
      downstream.next().offerAll(group, held);
      held = 0;
    }
  }
}
