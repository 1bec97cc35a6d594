/** The Redis flag store, shared by every node and notifying changes over pub/sub. */
@NullMarked
package dev.lintel.redis.flags;

import org.jspecify.annotations.NullMarked;
