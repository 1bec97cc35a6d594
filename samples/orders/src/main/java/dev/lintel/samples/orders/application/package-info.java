/**
 * The use cases: commands and queries (as Lintel {@code Command}/{@code Query} messages, the only
 * Lintel types here: they are the vocabulary the buses carry, from {@code sdk-api}), the services
 * that handle them, and the ports the adapters implement (where orders are stored, how they are
 * read, where customers live, whether express shipping is offered, how shipping is priced).
 */
@NullMarked
package dev.lintel.samples.orders.application;

import org.jspecify.annotations.NullMarked;
