/** The Redis health check. */
@NullMarked
package dev.lintel.redis.health;

import org.jspecify.annotations.NullMarked;
