/**
 * Event sourcing: an append-only {@link dev.lintel.eventsourcing.EventStore} of streams with
 * optimistic concurrency and one global order, aggregates rebuilt from their events, and
 * projections fed from a checkpoint.
 */
@NullMarked
package dev.lintel.eventsourcing;

import org.jspecify.annotations.NullMarked;
