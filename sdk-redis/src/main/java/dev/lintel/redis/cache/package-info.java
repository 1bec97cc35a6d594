/**
 * The cache's shared level on Redis: pipelined reads, SCAN-based pattern invalidation, pub/sub
 * invalidation broadcast and load locks.
 */
@NullMarked
package dev.lintel.redis.cache;

import org.jspecify.annotations.NullMarked;
