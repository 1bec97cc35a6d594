package dev.lintel.jdbc.shard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Merges what a scatter call gathered. Each helper uses only the answers: check {@link
 * ScatterResult#isComplete()} (or do not allow partial results) before treating a merge as the
 * whole answer.
 *
 * <p><b>Pages across shards.</b> For "rows {@code offset..offset+limit} in some order", each shard
 * must return its first {@code offset + limit} rows in that order ({@link #perShardLimit}; an
 * {@code OFFSET} on each shard would skip rows that belong in the page), and {@link #page} merges
 * them and skips the offset once.
 */
public final class ShardMerge {
  private ShardMerge() {}

  /**
   * Concatenates the shards' lists in the order the shards were asked.
   *
   * @param result the gathered lists
   * @param <E> the element type
   * @return all elements
   */
  public static <E> List<E> concat(ScatterResult<? extends List<? extends E>> result) {
    List<E> all = new ArrayList<>();
    result.values().forEach(all::addAll);
    return all;
  }

  /**
   * Merges lists that are each sorted by the comparator into one sorted list (a k-way merge).
   *
   * @param result the gathered lists, each sorted by {@code order}
   * @param order the order
   * @param <E> the element type
   * @return all elements in order
   */
  public static <E> List<E> sortMerge(
      ScatterResult<? extends List<? extends E>> result, Comparator<? super E> order) {
    return page(result, order, 0, Integer.MAX_VALUE);
  }

  /**
   * Gives one page of the merged order: what each shard answered, merged in order, from {@code
   * offset}, at most {@code limit} elements.
   *
   * @param result each shard's first {@link #perShardLimit(int, int)} elements in {@code order}
   * @param order the order
   * @param offset how many elements of the merged order to skip
   * @param limit the most elements to return
   * @param <E> the element type
   * @return the page
   * @throws IllegalArgumentException if offset or limit is negative
   */
  public static <E> List<E> page(
      ScatterResult<? extends List<? extends E>> result,
      Comparator<? super E> order,
      int offset,
      int limit) {
    if (offset < 0 || limit < 0) {
      throw new IllegalArgumentException(
          "offset and limit must not be negative but were " + offset + " and " + limit);
    }
    PriorityQueue<Head<E>> heads =
        new PriorityQueue<>(
            Math.max(1, result.answers().size()), (a, b) -> order.compare(a.value, b.value));
    for (List<? extends E> list : result.values()) {
      Iterator<? extends E> rest = list.iterator();
      if (rest.hasNext()) {
        heads.add(new Head<>(rest.next(), rest));
      }
    }
    List<E> page = new ArrayList<>(Math.min(limit, 1_024));
    for (long index = 0; !heads.isEmpty() && page.size() < limit; index++) {
      Head<E> head = heads.poll();
      if (index >= offset) {
        page.add(head.value);
      }
      if (head.rest.hasNext()) {
        heads.add(new Head<>(head.rest.next(), head.rest));
      }
    }
    return page;
  }

  /**
   * Tells how many rows each shard must return for a page: {@code offset + limit}.
   *
   * @param offset the page's offset in the merged order
   * @param limit the page's size
   * @return the limit to push down to each shard
   */
  public static int perShardLimit(int offset, int limit) {
    return Math.addExact(offset, limit);
  }

  /**
   * Sums the shards' counts (or sums).
   *
   * @param result each shard's count
   * @return the total
   */
  public static long sum(ScatterResult<? extends Number> result) {
    long total = 0;
    for (Number value : result.values()) {
      total = Math.addExact(total, value.longValue());
    }
    return total;
  }

  /**
   * Gives the least of the shards' answers.
   *
   * @param result each shard's answer (its own minimum)
   * @param order the order
   * @param <E> the answer type
   * @return the least, empty if no shard answered
   */
  public static <E> Optional<E> min(
      ScatterResult<? extends E> result, Comparator<? super E> order) {
    E least = null;
    for (E value : result.values()) {
      if (value != null && (least == null || order.compare(value, least) < 0)) {
        least = value;
      }
    }
    return Optional.ofNullable(least);
  }

  /**
   * Gives the greatest of the shards' answers.
   *
   * @param result each shard's answer (its own maximum)
   * @param order the order
   * @param <E> the answer type
   * @return the greatest, empty if no shard answered
   */
  public static <E> Optional<E> max(
      ScatterResult<? extends E> result, Comparator<? super E> order) {
    return min(result, order.reversed());
  }

  /** The next element of one shard's list and the rest of it. */
  private record Head<E>(E value, Iterator<? extends E> rest) {}
}
