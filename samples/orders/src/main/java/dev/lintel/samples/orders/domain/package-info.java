/**
 * The orders domain: entities, value objects and domain events, in plain Java. Nothing here knows
 * about Lintel, databases or HTTP; the event-sourcing base type lives in an adapter that wraps
 * {@link dev.lintel.samples.orders.domain.Order}, so the rules can be read and tested alone.
 */
@NullMarked
package dev.lintel.samples.orders.domain;

import org.jspecify.annotations.NullMarked;
