/**
 * The write side on Lintel's JDBC event store (the event-sourced order, its snapshots, retried
 * conflicts) and the read side (a projection into read-model tables committed with its checkpoint,
 * served through the tiered cache).
 */
@NullMarked
package dev.lintel.samples.orders.adapters.persistence;

import org.jspecify.annotations.NullMarked;
