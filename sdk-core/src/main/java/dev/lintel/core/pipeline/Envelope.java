package dev.lintel.core.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * One item on its way through the stages, with what the pipeline needs to account for it: its read
 * number, how many source items it stands for (a batch stands for all of its parts), the source
 * item for its key, and the source positions around it for checkpoints (a batch: from the start of
 * its first part to the end of its last).
 */
final class Envelope {
  private static final int KEYS_SHOWN = 10;

  @Nullable Object value;
  final long seq;
  final int items;
  private final @Nullable Object origin;
  final long start;
  final long end;
  private final @Nullable List<Envelope> parts;
  private volatile boolean done;

  private Envelope(
      Object value,
      long seq,
      int items,
      @Nullable Object origin,
      long start,
      long end,
      @Nullable List<Envelope> parts) {
    this.value = value;
    this.seq = seq;
    this.items = items;
    this.origin = origin;
    this.start = start;
    this.end = end;
    this.parts = parts;
  }

  static Envelope read(Object value, long seq, @Nullable Object origin, long start, long end) {
    return new Envelope(value, seq, 1, origin, start, end, null);
  }

  /**
   * A batch made without an envelope per item (see {@link SourceBatches}): its values, the read
   * numbers they span, the source items for keys (null without a key function) and the positions
   * around them.
   */
  static Envelope batchOf(
      List<Object> values,
      long firstSeq,
      long lastSeq,
      @Nullable List<Object> origins,
      long start,
      long end) {
    return new Envelope(
        values, firstSeq, values.size(), new Span(lastSeq, origins), start, end, null);
  }

  /** Where a batch made by {@link #batchOf} came from: the last read number and the origins. */
  private record Span(long lastSeq, @Nullable List<Object> origins) {}

  /** Wraps the parts' values in one list; the batch stands for all their items. */
  static Envelope batch(List<Envelope> parts) {
    List<Object> values = new ArrayList<>(parts.size());
    int items = 0;
    for (Envelope part : parts) {
      values.add(part.value());
      items += part.items;
    }
    Envelope first = parts.get(0);
    long end = parts.get(parts.size() - 1).end;
    return new Envelope(values, first.seq, items, null, first.start, end, List.copyOf(parts));
  }

  Object value() {
    Object current = value;
    if (current == null) {
      throw new IllegalStateException("item #" + seq + " was already finished");
    }
    return current;
  }

  /**
   * Lets go of the value of this item (and a batch's parts); when a checkpoint tracks it, also
   * marks it finished for the checkpointing thread to see.
   */
  void finish(boolean tracked) {
    value = null;
    if (tracked) {
      done = true;
    }
    if (parts != null) {
      for (Envelope part : parts) {
        part.finish(tracked);
      }
    }
  }

  boolean isDone() {
    return done;
  }

  /** The key for logs and dead letters: the key function's, else {@code #<read number>}. */
  String key(@Nullable Function<Object, String> keyOf) {
    List<Envelope> batchParts = parts;
    if (batchParts != null) {
      return joinKeys(batchParts.size(), i -> batchParts.get(i).key(keyOf));
    }
    if (origin instanceof Span span) {
      return spanKey(span, keyOf);
    }
    if (keyOf != null && origin != null) {
      return keyOf(origin, keyOf, seq);
    }
    return "#" + seq;
  }

  private static String keyOf(Object origin, Function<Object, String> keyOf, long seq) {
    try {
      return String.valueOf(keyOf.apply(origin));
    } catch (RuntimeException e) {
      return "#" + seq + " (key function failed: " + e + ")";
    }
  }

  private String spanKey(Span span, @Nullable Function<Object, String> keyOf) {
    List<Object> origins = span.origins();
    if (keyOf == null || origins == null) {
      return "#" + seq + "..#" + span.lastSeq() + " (" + items + " items)";
    }
    return joinKeys(origins.size(), i -> keyOf(origins.get(i), keyOf, seq + i));
  }

  /** The first {@value #KEYS_SHOWN} of a batch's {@code count} keys, and how many there are. */
  private static String joinKeys(int count, IntFunction<String> keyAt) {
    StringBuilder keys = new StringBuilder();
    for (int i = 0; i < count && i < KEYS_SHOWN; i++) {
      keys.append(i == 0 ? "" : ",").append(keyAt.apply(i));
    }
    if (count > KEYS_SHOWN) {
      keys.append(",... (").append(count).append(" items)");
    }
    return keys.toString();
  }
}
