/**
 * Running JDBC work on the shards of a {@link dev.lintel.shard.Topology}: on the shard of a key, or
 * scattered to several shards in parallel and gathered with timeouts, a partial-results policy and
 * merge helpers.
 */
@NullMarked
package dev.lintel.jdbc.shard;

import org.jspecify.annotations.NullMarked;
