package dev.lintel.shard;

import dev.lintel.shard.ShardStrategy.KeyRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Validation of a {@link ShardStrategy.Range}: readable boundaries, no empty range, open outer
 * ends, no overlap and no hole. Long boundaries are kept in canonical decimal form.
 */
final class Ranges {
  private Ranges() {}

  static List<KeyRange> validate(RangeKeyType type, @Nullable List<KeyRange> ranges) {
    if (ranges == null || ranges.isEmpty()) {
      throw new InvalidTopologyException("a range strategy needs at least one range");
    }
    List<KeyRange> sorted = new ArrayList<>(ranges.size());
    for (KeyRange range : ranges) {
      KeyRange canonical =
          new KeyRange(
              canonical(type, range.lower(), range),
              canonical(type, range.upper(), range),
              range.shard());
      if (canonical.lower() != null
          && canonical.upper() != null
          && compare(type, canonical.lower(), canonical.upper()) >= 0) {
        throw new InvalidTopologyException(
            "range " + range + " is empty: its lower bound must be below its upper bound");
      }
      sorted.add(canonical);
    }
    Comparator<@Nullable String> bounds =
        Comparator.nullsFirst((String a, String b) -> compare(type, a, b));
    sorted.sort(
        Comparator.comparing(KeyRange::lower, bounds)
            .thenComparing(KeyRange::upper, Comparator.nullsLast((a, b) -> compare(type, a, b))));
    KeyRange first = sorted.get(0);
    if (first.lower() != null) {
      throw new InvalidTopologyException(
          "keys below "
              + first.lower()
              + " have no range: the first range, "
              + first
              + ", must be open below (no lower bound)");
    }
    KeyRange last = sorted.get(sorted.size() - 1);
    if (last.upper() != null) {
      throw new InvalidTopologyException(
          "keys from "
              + last.upper()
              + " up have no range: the last range, "
              + last
              + ", must be open above (no upper bound)");
    }
    for (int i = 1; i < sorted.size(); i++) {
      KeyRange a = sorted.get(i - 1);
      KeyRange b = sorted.get(i);
      String end = a.upper();
      String start = b.lower();
      if (end == null || start == null) {
        throw new InvalidTopologyException("ranges " + a + " and " + b + " overlap");
      }
      int order = compare(type, end, start);
      if (order < 0) {
        throw new InvalidTopologyException(
            "keys in ["
                + end
                + ", "
                + start
                + ") have no range: a hole between "
                + a
                + " and "
                + b);
      }
      if (order > 0) {
        throw new InvalidTopologyException(
            "ranges " + a + " and " + b + " overlap on [" + start + ", " + end + ")");
      }
    }
    return List.copyOf(sorted);
  }

  /** Orders two boundaries of the given type. */
  static int compare(RangeKeyType type, String a, String b) {
    return type == RangeKeyType.LONG
        ? Long.compare(Long.parseLong(a), Long.parseLong(b))
        : a.compareTo(b);
  }

  private static @Nullable String canonical(
      RangeKeyType type, @Nullable String bound, KeyRange range) {
    if (bound == null || type == RangeKeyType.STRING) {
      return bound;
    }
    try {
      return Long.toString(Long.parseLong(bound));
    } catch (NumberFormatException e) {
      throw new InvalidTopologyException(
          "range " + range + " has boundary '" + bound + "', which is not a long", e);
    }
  }
}
