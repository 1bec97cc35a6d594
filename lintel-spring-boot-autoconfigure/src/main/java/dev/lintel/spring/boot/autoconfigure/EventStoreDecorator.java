package dev.lintel.spring.boot.autoconfigure;

import dev.lintel.eventsourcing.EventStore;

/**
 * Wraps the event store before the runtime gets it, for example to meter appends. Beans of this
 * type are applied in their order. Must return a store that keeps the {@link EventStore} contract.
 */
@FunctionalInterface
public interface EventStoreDecorator {

  /**
   * Wraps a store.
   *
   * @param store the store
   * @return the store the runtime uses
   */
  EventStore decorate(EventStore store);
}
