package dev.lintel.core.shard;

import dev.lintel.shard.ShardStrategy;
import dev.lintel.shard.ShardingException;
import dev.lintel.shard.Topology;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The points of a consistent-hash ring, sorted around the unsigned 64-bit circle.
 *
 * <p>Ring hashing (Karger et al., 1997): shards and keys hash onto the same circle and a key
 * belongs to the first shard point at or after it, so adding a shard only takes over the arcs just
 * before its points. One point per shard balances badly (arc lengths vary by a factor of ln n), so
 * each shard places many virtual nodes; with v points per shard the load of a shard varies by about
 * 1/sqrt(v). The stored layout: virtual node i of shard s sits at {@code XXH64(UTF-8(s + "#" +
 * i))}, a shard of weight w has {@code max(1, round(virtualNodes * w))} of them, and when two
 * points coincide the smaller shard id keeps it.
 */
final class RingLayout {
  /** The most points a ring may have, all shards together: 16 bytes and more each. */
  static final int MAX_POINTS = 10_000_000;

  private final long[] points; // unsigned positions, stored with the sign bit flipped, sorted
  private final String[] owners;

  private RingLayout(long[] points, String[] owners) {
    this.points = points;
    this.owners = owners;
  }

  static RingLayout of(ShardStrategy.Ring ring, Topology topology) {
    record Point(long position, String owner) {}
    List<Point> all = new ArrayList<>();
    for (String id : ring.shards()) {
      long count = Math.max(1, Math.round(ring.virtualNodes() * topology.shard(id).weight()));
      if (all.size() + count > MAX_POINTS) {
        throw new ShardingException(
            "topology v"
                + topology.version()
                + ": the ring would have more than "
                + MAX_POINTS
                + " points; lower the virtual nodes or the weights (shard '"
                + id
                + "' alone has "
                + count
                + ")");
      }
      for (int i = 0; i < count; i++) {
        all.add(new Point(Xxh64.hashUtf8(id + "#" + i) ^ Long.MIN_VALUE, id));
      }
    }
    all.sort(Comparator.comparingLong(Point::position).thenComparing(Point::owner));
    List<Point> distinct = new ArrayList<>(all.size());
    for (Point point : all) {
      if (distinct.isEmpty() || distinct.get(distinct.size() - 1).position() != point.position()) {
        distinct.add(point);
      }
    }
    return new RingLayout(
        distinct.stream().mapToLong(Point::position).toArray(),
        distinct.stream().map(Point::owner).toArray(String[]::new));
  }

  /** The owner of a key hash: the first point at or after it, wrapping to the first point. */
  String owner(long hash) {
    int index = Arrays.binarySearch(points, hash ^ Long.MIN_VALUE);
    if (index < 0) {
      index = -index - 1;
      if (index == points.length) {
        index = 0;
      }
    }
    return owners[index];
  }

  /** The length of the arc after {@code start} up to {@code end}, as a fraction of the circle. */
  static double arcShare(long start, long end) {
    long length = end - start; // mod 2^64
    double share = (length >>> 1) * 0x1.0p-63 + (length & 1) * 0x1.0p-64;
    return share == 0 ? 1 : share; // start == end: a ring of one point, the whole circle
  }

  /** How many points the ring has. */
  int size() {
    return points.length;
  }

  /** The unsigned position of the i-th point. */
  long position(int i) {
    return points[i] ^ Long.MIN_VALUE;
  }

  /** The owner of the i-th point. */
  String ownerAt(int i) {
    return owners[i];
  }
}
