package dev.lintel.core.eventsourcing;

import static dev.lintel.testing.Eventually.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.core.Lintel;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.Projection;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.health.HealthStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProjectionRunnerTest {
  private final InMemoryEventStore store = InMemoryEventStore.create(Account.serializer());
  private final InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
  private final List<ProjectionRunner> runners = new ArrayList<>();

  @AfterEach
  void stopRunners() {
    runners.forEach(ProjectionRunner::stop);
  }

  /** Sums deposits; can be told to fail once at one position. */
  static final class Balances implements Projection {
    final List<Long> positions = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong total = new AtomicLong();
    volatile long failAt = -1;
    volatile int resets;

    @Override
    public String name() {
      return "balances";
    }

    @Override
    public void handle(RecordedEvent event) {
      if (event.position() == failAt) {
        throw new IllegalStateException("read model unavailable");
      }
      positions.add(event.position());
      if (event.data() instanceof Account.Deposited deposited) {
        total.addAndGet(deposited.amount());
      }
    }

    @Override
    public void reset() {
      resets++;
      positions.clear();
      total.set(0);
    }
  }

  private void deposit(String account, int amount) {
    store.append(
        account, ExpectedVersion.any(), List.of(NewEvent.of(new Account.Deposited(amount))));
  }

  private ProjectionRunner start(ProjectionRunner.Builder builder) {
    ProjectionRunner runner = builder.build();
    runners.add(runner);
    runner.start();
    return runner;
  }

  @Test
  void lagCountsTheEventsAfterTheLastHandledAndTheTimestampIsThatEvents() {
    Balances balances = new Balances();
    balances.failAt = 3;
    ProjectionRunner runner = start(ProjectionRunner.builder(store, checkpoints, balances));
    assertThat(runner.lastHandledTimestamp()).isNull();
    deposit("a", 1);
    deposit("a", 2);
    deposit("a", 3);
    deposit("a", 4);
    awaitTrue(() -> runner.failure() != null, "stopped at position 3");

    assertThat(runner.position()).isEqualTo(2);
    assertThat(runner.lag()).isEqualTo(2);
    assertThat(runner.lastHandledTimestamp()).isEqualTo(store.readAll(2, 1).get(0).timestamp());
  }

  @Test
  void deliversEveryEventAfterTheCheckpointAndStoresTheCheckpoint() {
    deposit("a", 1);
    deposit("b", 2);
    checkpoints.save("balances", 1);
    Balances balances = new Balances();

    ProjectionRunner runner = start(ProjectionRunner.builder(store, checkpoints, balances));
    deposit("a", 4);
    awaitTrue(() -> runner.position() == 3, "position 3");

    assertThat(balances.positions).containsExactly(2L, 3L);
    assertThat(balances.total).hasValue(6);
    assertThat(checkpoints.load("balances")).isEqualTo(3);
  }

  @Test
  void aFailingEventStopsTheProjectionThereAndARestartResumesWithoutSkipping() {
    deposit("a", 1);
    deposit("a", 2);
    deposit("a", 3);
    Balances balances = new Balances();
    balances.failAt = 2;
    ProjectionRunner runner = start(ProjectionRunner.builder(store, checkpoints, balances));

    awaitTrue(() -> runner.failure() != null, "the failure");
    ProjectionException failure = runner.failure();
    assertThat(failure.position()).isEqualTo(2);
    assertThat(failure.projection()).isEqualTo("balances");
    assertThat(failure).hasMessageContaining("stopped at position 2");
    assertThat(failure).hasRootCauseMessage("read model unavailable");
    assertThat(checkpoints.load("balances")).isEqualTo(1);
    assertThat(health(runner)).isEqualTo(HealthStatus.DOWN);

    balances.failAt = -1;
    runner.stop();
    runner.start();
    awaitTrue(() -> runner.position() == 3, "position 3 after the restart");

    assertThat(balances.positions).containsExactly(1L, 2L, 3L);
    assertThat(balances.total).hasValue(6);
    assertThat(health(runner)).isEqualTo(HealthStatus.UP);
  }

  @Test
  void checkpointsCanBeBatchedAndAreStoredOnStop() {
    for (int i = 0; i < 25; i++) {
      deposit("a", 1);
    }
    ProjectionRunner runner =
        start(ProjectionRunner.builder(store, checkpoints, new Balances()).checkpointEvery(10));
    awaitTrue(() -> runner.position() == 25, "position 25");

    assertThat(checkpoints.load("balances")).isEqualTo(20);
    runner.stop();
    assertThat(checkpoints.load("balances")).isEqualTo(25);
  }

  @Test
  void replayResetsTheReadModelAndReportsProgressUntilCaughtUp() {
    for (int i = 0; i < 500; i++) {
      deposit("acct-" + (i % 7), 2);
    }
    Balances balances = new Balances();
    List<ProjectionProgress> progress = Collections.synchronizedList(new ArrayList<>());
    ProjectionRunner runner =
        start(
            ProjectionRunner.builder(store, checkpoints, balances)
                .onProgress(progress::add, Duration.ofMillis(1)));
    awaitTrue(() -> runner.position() == 500, "first pass");

    runner.replay();
    awaitTrue(() -> !progress.isEmpty() && progress.get(progress.size() - 1).caughtUp(), "replay");

    assertThat(balances.resets).isEqualTo(1);
    assertThat(balances.total).hasValue(1000);
    assertThat(balances.positions).hasSize(500);
    ProjectionProgress last = progress.get(progress.size() - 1);
    assertThat(last.target()).isEqualTo(500);
    assertThat(last.eventsDone()).isEqualTo(500);
    assertThat(last.eventsPerSecond()).isPositive();
    assertThat(last.remaining()).isEqualTo(Duration.ZERO);
    assertThat(progress).extracting(ProjectionProgress::position).isSorted();
  }

  @Test
  void theRuntimeStartsProjectionsAndSavesTheirCheckpointOnGracefulShutdown() {
    deposit("a", 5);
    ProjectionRunner runner =
        ProjectionRunner.builder(store, checkpoints, new Balances()).checkpointEvery(1_000).build();
    Lintel lintel = Lintel.builder().component(runner).build().start();
    deposit("a", 6);
    awaitTrue(() -> runner.position() == 2, "position 2");
    assertThat(checkpoints.load("balances")).isZero();

    lintel.close();

    assertThat(checkpoints.load("balances")).isEqualTo(2);
  }

  @Test
  void checkpointIntervalMustBePositive() {
    assertThatThrownBy(
            () -> ProjectionRunner.builder(store, checkpoints, new Balances()).checkpointEvery(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("checkpointEvery must be positive but was 0");
  }

  private static HealthStatus health(ProjectionRunner runner) {
    try {
      return runner.health().check().status();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
