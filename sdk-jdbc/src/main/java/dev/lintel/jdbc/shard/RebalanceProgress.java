package dev.lintel.jdbc.shard;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How far a move is: the step, the table and shard being worked on, and for the steps that scan
 * rows (copy, verify, delete) the rows done, an estimate of the rows in all, the rate and the time
 * left. Immutable.
 *
 * @param keyspace the keyspace
 * @param fromVersion the old topology's version
 * @param toVersion the new topology's version
 * @param step the step
 * @param table the table being worked on, or null between tables
 * @param shard the shard being read, or null between shards
 * @param rowsDone rows scanned (or keys copied again, in the catch-up steps) in this step
 * @param rowsTotal rows to scan in this step, estimated when it began; -1 when unknown
 * @param rowsPerSecond the rate since the step began (or resumed)
 * @param eta the time left at that rate, or null when unknown
 */
public record RebalanceProgress(
    String keyspace,
    long fromVersion,
    long toVersion,
    RebalanceStep step,
    @Nullable String table,
    @Nullable String shard,
    long rowsDone,
    long rowsTotal,
    double rowsPerSecond,
    @Nullable Duration eta) {}
