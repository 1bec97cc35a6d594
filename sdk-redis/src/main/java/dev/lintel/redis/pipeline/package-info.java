/**
 * A pipeline source on a Redis stream read through a consumer group, so several nodes share one
 * pipeline's work: entries are acknowledged after the sink succeeded, entries a crashed node left
 * pending are claimed after a lease, and entries delivered too often go to a dead-letter stream. On
 * a standalone Redis or a Redis Cluster, through a {@link dev.lintel.redis.RedisConnector}.
 */
@NullMarked
package dev.lintel.redis.pipeline;

import org.jspecify.annotations.NullMarked;
