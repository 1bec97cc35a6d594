/**
 * Event sourcing in process: the in-memory event store, the Jackson serializer, aggregates and
 * their repository, projections and the base class of every store.
 */
@NullMarked
package dev.lintel.core.eventsourcing;

import org.jspecify.annotations.NullMarked;
