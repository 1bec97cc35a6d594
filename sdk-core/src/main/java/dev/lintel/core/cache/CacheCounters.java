package dev.lintel.core.cache;

import dev.lintel.cache.CacheStats;
import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@link CacheStats}; striped so that concurrent readers do not contend. */
final class CacheCounters {
  final LongAdder l1Hits = new LongAdder();
  final LongAdder l1Misses = new LongAdder();
  final LongAdder l1Evictions = new LongAdder();
  final LongAdder l2Hits = new LongAdder();
  final LongAdder l2Misses = new LongAdder();
  final LongAdder l2Errors = new LongAdder();
  final LongAdder loads = new LongAdder();
  final LongAdder loadFailures = new LongAdder();
  final LongAdder invalidationsReceived = new LongAdder();
  // Not in CacheStats (an sdk-api record); read through TieredCache's own accessors.
  final LongAdder invalidationsSent = new LongAdder();
  final LongAdder loadNanos = new LongAdder();

  CacheStats snapshot() {
    return new CacheStats(
        l1Hits.sum(),
        l1Misses.sum(),
        l1Evictions.sum(),
        l2Hits.sum(),
        l2Misses.sum(),
        l2Errors.sum(),
        loads.sum(),
        loadFailures.sum(),
        invalidationsReceived.sum());
  }
}
