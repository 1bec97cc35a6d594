package dev.lintel.shard;

/**
 * How the boundaries of a {@link ShardStrategy.Range} are read and ordered. Boundaries are stored
 * as strings in either case, so a topology's JSON is exact for any 64-bit value.
 */
public enum RangeKeyType {
  /** Signed 64-bit integers in decimal, ordered numerically ({@link Long#compare}). */
  LONG,
  /** Strings, ordered by {@link String#compareTo} (UTF-16 code units). */
  STRING
}
