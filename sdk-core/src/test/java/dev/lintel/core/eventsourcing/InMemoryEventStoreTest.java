package dev.lintel.core.eventsourcing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.eventsourcing.EventStore;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.testing.ContractEvents;
import dev.lintel.testing.ContractEvents.Deposited;
import dev.lintel.testing.EventStoreContract;
import dev.lintel.testing.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryEventStoreTest extends EventStoreContract {

  @Override
  protected EventStore store() {
    return InMemoryEventStore.create(
        AbstractEventStore.Settings.defaults(contractSerializer())
            .withMaxEventBytes(MAX_EVENT_BYTES));
  }

  @Test
  void appendedEventsAreStampedWithTheTimeSourcesWallClock() {
    Instant start = Instant.parse("2026-05-01T08:00:00Z");
    ManualTimeSource time = ManualTimeSource.startingAt(start);
    InMemoryEventStore store =
        InMemoryEventStore.create(
            AbstractEventStore.Settings.defaults(contractSerializer()).withTimeSource(time));

    store.append("a", ExpectedVersion.noStream(), List.of(NewEvent.of(new Deposited("a", 1))));
    time.advance(Duration.ofMinutes(5));
    store.append("a", ExpectedVersion.exactly(1), List.of(NewEvent.of(new Deposited("a", 2))));

    assertThat(store.readStream("a", 1, 10))
        .extracting(RecordedEvent::timestamp)
        .containsExactly(start, start.plus(Duration.ofMinutes(5)));
  }

  @Test
  void aStreamIdWithAWellFormedSurrogatePairIsAccepted() {
    EventStore store = store();
    String rocket = "launch-\uD83D\uDE80"; // U+1F680, one character in two chars

    store.append(rocket, ExpectedVersion.noStream(), List.of(NewEvent.of(new Deposited("a", 1))));

    assertThat(store.streamVersion(rocket)).isEqualTo(1);
  }

  static EventSerializer contractSerializer() {
    JacksonEventSerializer.Builder builder = JacksonEventSerializer.builder();
    ContractEvents.types().forEach(builder::type);
    return builder.build();
  }
}
