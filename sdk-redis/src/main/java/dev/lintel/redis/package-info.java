/**
 * How Lintel's Redis parts reach Redis: {@link dev.lintel.redis.RedisConnector}, one standalone
 * Redis or a Redis Cluster behind one type.
 */
@NullMarked
package dev.lintel.redis;

import org.jspecify.annotations.NullMarked;
