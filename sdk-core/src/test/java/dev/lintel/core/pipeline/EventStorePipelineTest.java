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
import java.util.stream.LongStream;
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

  @Test
  void aLiveSourceDeliversStoredAndNewEventsInOrderAndResumesAfterTheLastOneFinished()
      throws Exception {
    EventStore store = store();
    appendDeposits(store, 0, 300);
    InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
    List<Long> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    Pipeline first = livePipeline(store, checkpoints, seen);
    first.start();

    Thread[] writers = new Thread[4];
    for (int w = 0; w < writers.length; w++) {
      int from = 300 + w * 175;
      writers[w] = new Thread(() -> appendDeposits(store, from, from + 175));
      writers[w].start();
    }
    for (Thread writer : writers) {
      writer.join();
    }
    dev.lintel.testing.Eventually.awaitTrue(() -> seen.size() == 1_000, "all 1,000 events");
    first.close();

    assertThat(first.awaitCompletion().processed()).isEqualTo(1_000);
    assertThat(seen).isEqualTo(LongStream.rangeClosed(1, 1_000).boxed().toList());
    assertThat(checkpoints.load("live")).isEqualTo(1_000);

    appendDeposits(store, 1_000, 1_100);
    seen.clear();
    Pipeline second = livePipeline(store, checkpoints, seen);
    second.start();
    dev.lintel.testing.Eventually.awaitTrue(() -> seen.size() == 100, "the 100 new events");
    second.close();
    assertThat(seen).isEqualTo(LongStream.rangeClosed(1_001, 1_100).boxed().toList());
  }

  @Test
  void aLiveSourceBehindASlowSinkReadsNoFurtherThanThePipelinesBuffers() throws Exception {
    EventStore store = store();
    appendDeposits(store, 0, 5_000);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Pipeline pipeline =
        Pipeline.from(EventStoreSource.live(store))
            .to(
                event -> {
                  release.await();
                })
            .progressInterval(Duration.ZERO)
            .build();
    pipeline.start();
    try {
      dev.lintel.testing.Eventually.awaitTrue(
          () -> pipeline.progress().stages().get(1).busy() == 1, "the sink to block");
      Thread.sleep(200); // time for a source that ignored the bounds to run ahead
      assertThat(pipeline.progress().read()).isLessThan(1_000);
    } finally {
      release.countDown();
    }
    dev.lintel.testing.Eventually.awaitTrue(
        () -> pipeline.progress().processed() == 5_000, "all events");
    pipeline.close();
    assertThat(pipeline.awaitCompletion().balanced()).isTrue();
  }

  private static Pipeline livePipeline(
      EventStore store, InMemoryCheckpointStore checkpoints, List<Long> seen) {
    return Pipeline.from(EventStoreSource.live(store))
        .map(RecordedEvent::position)
        .to(seen::add)
        .name("live")
        .checkpoints(checkpoints)
        .progressInterval(Duration.ZERO)
        .build();
  }

  private static void appendDeposits(EventStore store, int from, int to) {
    for (int n = from; n < to; n++) {
      store.append(
          "acc-" + n % 5, ExpectedVersion.any(), List.of(NewEvent.of(new Deposited("a", n))));
    }
  }
}
