/**
 * A pipeline source on a Redis stream read through a consumer group, so several nodes share one
 * pipeline's work: entries are acknowledged after the sink succeeded, entries a crashed node left
 * pending are claimed after a lease, and entries delivered too often go to a dead-letter stream.
 */
@NullMarked
package dev.lintel.redis.pipeline;

import org.jspecify.annotations.NullMarked;
