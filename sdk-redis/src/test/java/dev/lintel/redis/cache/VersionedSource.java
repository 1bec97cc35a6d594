package dev.lintel.redis.cache;

import dev.lintel.testing.CacheContract.Item;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The source of truth of a coherence test: keys {@code k0..k(n-1)} whose value is a version that
 * writers raise, with the moment each version was acknowledged (its {@code put} returned), so that
 * a read can be judged against the last acknowledged write. Thread-safe; one writer per key.
 */
final class VersionedSource {
  /** A read that was not stale. */
  static final long FRESH = -1;

  private final Map<String, Integer> current = new ConcurrentHashMap<>();
  private final Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
  private final Map<String, Long> acknowledgedAt = new ConcurrentHashMap<>();

  VersionedSource(int keys) {
    for (int k = 0; k < keys; k++) {
      current.put("k" + k, 0);
      acknowledged.put("k" + k, 0);
    }
  }

  /** What the loader reads. */
  Item load(String key) {
    return new Item(key, current.get(key));
  }

  /** Raises a key's version in the source; the writer then puts it into its cache. */
  int nextVersion(String key) {
    return current.merge(key, 1, Integer::sum);
  }

  /** The writer's put of this version returned. */
  void acknowledge(String key, int version) {
    acknowledgedAt.put(key + "#" + version, System.nanoTime());
    acknowledged.put(key, version);
  }

  /** The version a read that starts now must not fall behind. */
  int mustSee(String key) {
    return acknowledged.get(key);
  }

  /**
   * Judges a read that started at {@code startNanos}, when {@code mustSee} was acknowledged.
   *
   * @return {@link #FRESH}, or how long before the read the first newer version was acknowledged
   */
  long staleness(String key, @Nullable Item read, int mustSee, long startNanos) {
    if (read == null || read.quantity() >= mustSee) {
      return FRESH;
    }
    Long newerAt = acknowledgedAt.get(key + "#" + (read.quantity() + 1));
    return newerAt == null ? 0 : Math.max(0, startNanos - newerAt);
  }
}
