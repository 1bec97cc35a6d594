package dev.lintel.core.eventsourcing;

import dev.lintel.eventsourcing.EventStore;
import dev.lintel.testing.ContractEvents;
import dev.lintel.testing.EventStoreContract;

class InMemoryEventStoreTest extends EventStoreContract {

  @Override
  protected EventStore store() {
    return InMemoryEventStore.create(
        AbstractEventStore.Settings.defaults(contractSerializer())
            .withMaxEventBytes(MAX_EVENT_BYTES));
  }

  static EventSerializer contractSerializer() {
    JacksonEventSerializer.Builder builder = JacksonEventSerializer.builder();
    ContractEvents.types().forEach(builder::type);
    return builder.build();
  }
}
