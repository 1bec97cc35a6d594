package dev.lintel.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.core.eventsourcing.InMemoryCheckpointStore;
import dev.lintel.core.eventsourcing.InMemoryEventStore;
import dev.lintel.core.eventsourcing.JacksonEventSerializer;
import dev.lintel.eventsourcing.EventStore;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.pipeline.PipelineException;
import dev.lintel.pipeline.PipelineProgress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 2, unit = java.util.concurrent.TimeUnit.MINUTES)
class EventStorePipelineTest {
  record Deposited(String account, int amount) {}

  private static EventStore store() {
    return InMemoryEventStore.create(
        JacksonEventSerializer.builder().classNamesForUnregisteredTypes().build());
  }

  private static NewEvent event(Deposited deposit, String key) {
    UUID id = UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
    return new NewEvent(id, deposit, java.util.Map.of());
  }

  @Test
  void batchesAreAppendedPerStreamAndARedeliveredItemIsNotAppendedTwice() {
    EventStore store = store();
    List<Deposited> deposits =
        IntStream.range(0, 1_000).mapToObj(n -> new Deposited("acc-" + n % 10, n)).toList();

    for (int run = 0; run < 2; run++) { // the second run stands for a full redelivery
      Pipeline.from(deposits)
          .batch(64, Duration.ofMillis(10))
          .to(
              EventStoreSink.appendingBatches(
                  store, Deposited::account, d -> event(d, d.account() + "/" + d.amount())))
          .progressInterval(Duration.ZERO)
          .build()
          .run();
    }

    assertThat(store.lastPosition()).isEqualTo(1_000);
    assertThat(store.streamVersion("acc-3")).isEqualTo(100);
    assertThat(store.readStream("acc-3", 1, 1_000))
        .extracting(e -> ((Deposited) e.data()).amount())
        .isSorted();
  }

  @Test
  void aProjectionPipelineResumesAfterTheLastEventItFinished() {
    EventStore store = store();
    for (int n = 0; n < 500; n++) {
      store.append(
          "acc-" + n % 5, ExpectedVersion.any(), List.of(NewEvent.of(new Deposited("a", n))));
    }
    InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
    java.util.Set<Long> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Pipeline first =
        Pipeline.from(EventStoreSource.catchUp(store))
            .parallel(2, RecordedEvent::position)
            .to(
                position -> {
                  if (position == 321) {
                    throw new IllegalStateException("read model down");
                  }
                  seen.add(position);
                })
            .name("balances")
            .checkpoints(checkpoints)
            .progressInterval(Duration.ZERO)
            .build();
    org.assertj.core.api.Assertions.assertThatThrownBy(first::run)
        .isInstanceOf(PipelineException.class);
    long stored = checkpoints.load("balances");
    assertThat(stored).isLessThan(321);

    PipelineProgress second =
        Pipeline.from(EventStoreSource.catchUp(store))
            .parallel(2, RecordedEvent::position)
            .to(seen::add)
            .name("balances")
            .checkpoints(checkpoints)
            .progressInterval(Duration.ZERO)
            .build()
            .run();

    assertThat(seen).hasSize(500);
    assertThat(second.read()).isEqualTo(500 - stored);
    assertThat(checkpoints.load("balances")).isEqualTo(500);
  }
}
