package dev.lintel.core.eventsourcing;

import static dev.lintel.testing.Eventually.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.core.Lintel;
import dev.lintel.cqrs.Command;
import dev.lintel.eventsourcing.AppendResult;
import dev.lintel.eventsourcing.EventHandler;
import dev.lintel.eventsourcing.EventStore;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.eventsourcing.Subscription;
import dev.lintel.eventsourcing.UnknownEventTypeException;
import dev.lintel.health.HealthStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Event sourcing through the runtime: commands load and save aggregates in the runtime's store, a
 * projection added to the builder follows them, shows in readiness, and saves its checkpoint on
 * graceful shutdown.
 */
class EventSourcingInRuntimeTest {

  record Deposit(String account, int amount) implements Command<Integer> {}

  @Test
  void commandsSaveAggregatesAndTheProjectionFollowsUntilShutdown() {
    InMemoryEventStore store = InMemoryEventStore.create(Account.serializer());
    InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
    ProjectionRunnerTest.Balances balances = new ProjectionRunnerTest.Balances();
    ProjectionRunner projection =
        ProjectionRunner.builder(store, checkpoints, balances).checkpointEvery(1_000).build();
    Lintel lintel = Lintel.builder().eventStore(store).projection(projection).build().start();
    EventSourcedRepository<Account> accounts =
        EventSourcedRepository.builder(lintel.eventStore(), Account::new)
            .streamPrefix("account-")
            .build();
    lintel
        .commands()
        .register(
            Deposit.class,
            accounts.handler(
                Deposit::account, (account, deposit) -> account.deposit(deposit.amount())));

    for (int i = 1; i <= 10; i++) {
      lintel.commands().send(new Deposit(i % 2 == 0 ? "a" : "b", i));
    }

    assertThat(accounts.load("a").snapshot().balance()).isEqualTo(2 + 4 + 6 + 8 + 10);
    awaitTrue(() -> balances.total.get() == 55, "the projection to see all deposits");
    assertThat(lintel.readiness().check("projection:balances").status()).isEqualTo(HealthStatus.UP);
    assertThat(checkpoints.load("balances")).as("checkpoints only every 1,000").isZero();

    lintel.close();

    assertThat(checkpoints.load("balances")).isEqualTo(10);
  }

  /** A store whose stored events can no longer be read, as after a type was renamed. */
  private static final class UnreadableStore implements EventStore {
    private final InMemoryEventStore written = InMemoryEventStore.create(Account.serializer());

    @Override
    public AppendResult append(String stream, ExpectedVersion expected, List<NewEvent> events) {
      return written.append(stream, expected, events);
    }

    @Override
    public List<RecordedEvent> readStream(String stream, long fromVersion, int max) {
      return written.readStream(stream, fromVersion, max);
    }

    @Override
    public long streamVersion(String stream) {
      return written.streamVersion(stream);
    }

    @Override
    public List<RecordedEvent> readAll(long fromPosition, int max) {
      if (fromPosition <= written.lastPosition()) {
        throw new UnknownEventTypeException("account.renamed", "a", fromPosition);
      }
      return List.of();
    }

    @Override
    public long lastPosition() {
      return written.lastPosition();
    }

    @Override
    public Subscription subscribeAll(long fromPosition, EventHandler handler) {
      return PollingSubscription.start(
          this, fromPosition, handler, new SubscriptionSignal(), Duration.ofMillis(10));
    }
  }

  @Test
  void aProjectionStuckOnAnUnreadableEventIsReportedDownWithItsPosition() throws Exception {
    UnreadableStore store = new UnreadableStore();
    store.append("a", ExpectedVersion.any(), List.of(NewEvent.of(new Account.Deposited(1))));
    ProjectionRunner projection =
        ProjectionRunner.builder(
                store, new InMemoryCheckpointStore(), new ProjectionRunnerTest.Balances())
            .build();
    projection.start();
    try {
      awaitTrue(() -> projection.failure() != null, "the projection to stop");
      assertThat(projection.failure())
          .hasMessageContaining("position 1")
          .hasCauseInstanceOf(UnknownEventTypeException.class);
      assertThat(projection.health().check().status()).isEqualTo(HealthStatus.DOWN);
    } finally {
      projection.stop();
    }
  }

  @Test
  void replayingAnEmptyStoreReportsCaughtUpAtOnce() {
    InMemoryEventStore store = InMemoryEventStore.create(Account.serializer());
    AtomicInteger reports = new AtomicInteger();
    ProjectionRunner projection =
        ProjectionRunner.builder(
                store, new InMemoryCheckpointStore(), new ProjectionRunnerTest.Balances())
            .onProgress(progress -> reports.incrementAndGet(), Duration.ofMillis(1))
            .build();
    try {
      projection.replay();
      assertThat(reports).hasValue(1);
    } finally {
      projection.stop();
    }
  }
}
