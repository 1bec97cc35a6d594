package dev.lintel.cache;

/**
 * A snapshot of a cache's counters since it was built, per level. Counters only grow.
 *
 * @param l1Hits reads answered by the local level; implementations may count these only when asked
 *     to (the hit path is the hottest one), and report 0 otherwise
 * @param l1Misses reads the local level could not answer
 * @param l1Evictions entries the local level dropped for size or expiry
 * @param l2Hits reads answered by the shared level
 * @param l2Misses reads the shared level did not hold (corrupt entries included)
 * @param l2Errors shared-level calls that failed, timed out or were refused by the open breaker
 * @param loads successful loader calls
 * @param loadFailures loader calls that threw
 * @param invalidationsReceived invalidation messages received from other nodes
 */
public record CacheStats(
    long l1Hits,
    long l1Misses,
    long l1Evictions,
    long l2Hits,
    long l2Misses,
    long l2Errors,
    long loads,
    long loadFailures,
    long invalidationsReceived) {}
