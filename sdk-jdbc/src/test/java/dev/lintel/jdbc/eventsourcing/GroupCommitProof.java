package dev.lintel.jdbc.eventsourcing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.eventsourcing.AppendResult;
import dev.lintel.eventsourcing.EventIdConflictException;
import dev.lintel.eventsourcing.EventStoreException;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.eventsourcing.WrongExpectedVersionException;
import dev.lintel.testing.ContractEvents.Deposited;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit on a real database. Appends are made to queue up for real: a caller's transaction
 * holds the global position lock, one store-owned append waits for it inside the database, and the
 * others queue in the store behind that one. When the holder commits, the queued appends are
 * written as one group, and each caller must still get exactly its own outcome.
 */
abstract class GroupCommitProof {
  final String prefix = JdbcStores.freshPrefix();
  final TableNames tables = new TableNames(prefix);
  private final List<Thread> callers = new CopyOnWriteArrayList<>();
  private final ExecutorService pool =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task);
            callers.add(thread);
            return thread;
          });

  abstract JdbcDialect dialect();

  abstract DataSource dataSource();

  /** Connections whose own lock timeout is short (H2's session setting); others as usual. */
  DataSource shortLockWaitDataSource() {
    return dataSource();
  }

  /**
   * Makes every later insert of an event into a stream named "...poison..." fail its transaction.
   */
  abstract void poisonStreams(Statement statement) throws SQLException;

  /** Drops what {@link #poisonStreams} created besides the trigger. */
  void dropPoison(Statement statement) throws SQLException {}

  @AfterEach
  void cleanUp() throws SQLException {
    pool.shutdownNow();
    try (Connection connection = dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      JdbcStores.dropTables(dataSource(), prefix);
      dropPoison(statement);
    }
  }

  private JdbcEventStore store(UnaryOperator<JdbcEventStore.Builder> settings) {
    return settings
        .apply(
            JdbcStores.builder(dialect(), dataSource())
                .serializer(JdbcStores.contractSerializer())
                .tablePrefix(prefix))
        .build()
        .createSchema();
  }

  private static List<NewEvent> deposits(int count) {
    List<NewEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(NewEvent.of(new Deposited("acct", i)));
    }
    return events;
  }

  @Test
  void queuedAppendsCommitAsOneGroupAndEachCallerGetsItsOwnOutcome() throws Exception {
    JdbcEventStore store = store(builder -> builder);
    store.append("exact", ExpectedVersion.noStream(), deposits(1));
    List<NewEvent> storedElsewhere = deposits(1);
    store.append("elsewhere", ExpectedVersion.noStream(), storedElsewhere);
    List<NewEvent> retried = deposits(2);
    AppendResult original = store.append("retried", ExpectedVersion.noStream(), retried);

    Map<String, Future<AppendResult>> outcomes = new LinkedHashMap<>();
    try (Connection holder = dataSource().getConnection()) {
      holder.setAutoCommit(false);
      store.append(holder, "holder", ExpectedVersion.any(), deposits(1));
      Future<AppendResult> first =
          pool.submit(() -> store.append("first", ExpectedVersion.noStream(), deposits(1)));
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300)); // it reaches the database
      for (int i = 0; i < 10; i++) {
        String stream = "good-" + i;
        outcomes.put(
            stream,
            pool.submit(() -> store.append(stream, ExpectedVersion.noStream(), deposits(2))));
      }
      outcomes.put(
          "exact-wrong",
          pool.submit(() -> store.append("exact", ExpectedVersion.exactly(5), deposits(1))));
      outcomes.put(
          "stolen-id",
          pool.submit(() -> store.append("thief", ExpectedVersion.noStream(), storedElsewhere)));
      outcomes.put(
          "retry", pool.submit(() -> store.append("retried", ExpectedVersion.noStream(), retried)));
      for (String name : List.of("same-a", "same-b")) {
        outcomes.put(
            name, pool.submit(() -> store.append("same", ExpectedVersion.any(), deposits(3))));
      }
      for (String name : List.of("race-a", "race-b")) {
        outcomes.put(
            name, pool.submit(() -> store.append("race", ExpectedVersion.noStream(), deposits(1))));
      }
      awaitQueued(outcomes.size());
      holder.commit();
      assertThat(first.get(30, TimeUnit.SECONDS).version()).isEqualTo(1);
    }

    for (int i = 0; i < 10; i++) {
      assertThat(outcomes.get("good-" + i).get(30, TimeUnit.SECONDS).version()).isEqualTo(2);
    }
    assertThat(failure(outcomes.get("exact-wrong")))
        .isInstanceOf(WrongExpectedVersionException.class);
    assertThat(failure(outcomes.get("stolen-id"))).isInstanceOf(EventIdConflictException.class);
    assertThat(outcomes.get("retry").get()).as("an idempotent retry").isEqualTo(original);
    AppendResult sameA = outcomes.get("same-a").get();
    AppendResult sameB = outcomes.get("same-b").get();
    assertThat(List.of(sameA.version(), sameB.version())).containsExactlyInAnyOrder(3L, 6L);
    int raceWinners = 0;
    for (String name : List.of("race-a", "race-b")) {
      try {
        outcomes.get(name).get();
        raceWinners++;
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(WrongExpectedVersionException.class);
      }
    }
    assertThat(raceWinners).isEqualTo(1);

    JdbcEventStore.Stats stats = store.stats();
    assertThat(stats.largestGroup())
        .as("the queued appends were written together")
        .isGreaterThanOrEqualTo(outcomes.size());
    assertThat(stats.conflicts()).isEqualTo(4); // exact-wrong, stolen-id, retry (resolved), race
    List<RecordedEvent> all = store.readAll(1, 1_000);
    // 1 + 1 + 2 set up, 1 holder, 1 first, 10 x 2 good, 2 x 3 same, 1 race winner
    assertThat(all).hasSize(4 + 1 + 1 + 20 + 6 + 1);
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i).position()).as("dense").isEqualTo(i + 1L);
    }
    assertThat(all).noneMatch(event -> event.stream().equals("thief"));
    assertThat(store.streamVersion("exact")).isEqualTo(1);
    assertThat(store.streamVersion("same")).isEqualTo(6);
  }

  @Test
  void aGroupWhoseTransactionFailsFailsEveryCallerAndWritesNothingOfIt() throws Exception {
    JdbcEventStore store = store(builder -> builder);
    try (Connection connection = dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      poisonStreams(statement);
    }
    List<Future<AppendResult>> group = new ArrayList<>();
    try (Connection holder = dataSource().getConnection()) {
      holder.setAutoCommit(false);
      store.append(holder, "holder", ExpectedVersion.any(), deposits(1));
      Future<AppendResult> first =
          pool.submit(() -> store.append("first", ExpectedVersion.noStream(), deposits(1)));
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
      for (int i = 0; i < 8; i++) {
        String stream = i == 4 ? "the-poison-" + i : "fine-" + i;
        group.add(pool.submit(() -> store.append(stream, ExpectedVersion.noStream(), deposits(2))));
      }
      awaitQueued(group.size());
      holder.commit();
      assertThat(first.get(30, TimeUnit.SECONDS).lastPosition()).isEqualTo(2);
    }

    for (Future<AppendResult> append : group) {
      assertThat(failure(append))
          .isInstanceOf(EventStoreException.class)
          .hasMessageContaining("nothing was written");
    }
    assertThat(store.readAll(1, 100))
        .extracting(RecordedEvent::stream)
        .containsExactly("holder", "first");
    for (int i = 0; i < 8; i++) {
      assertThat(store.streamVersion("fine-" + i)).isZero();
    }
    assertThat(store.stats().largestGroup()).isGreaterThanOrEqualTo(group.size());
    assertThat(store.append("after", ExpectedVersion.noStream(), deposits(1)).lastPosition())
        .isEqualTo(3);
  }

  @Test
  void aLockTimeoutFailsTheAppendFastNamingTheLockAndWritesNothing() throws Exception {
    JdbcEventStore holderStore = store(builder -> builder);
    JdbcEventStore store =
        JdbcStores.builder(dialect(), shortLockWaitDataSource())
            .serializer(JdbcStores.contractSerializer())
            .tablePrefix(prefix)
            .positionLockTimeout(Duration.ofMillis(300))
            .build();
    try (Connection holder = dataSource().getConnection()) {
      holder.setAutoCommit(false);
      holderStore.append(holder, "holder", ExpectedVersion.any(), deposits(1));
      long started = System.nanoTime();
      assertThatThrownBy(() -> store.append("late", ExpectedVersion.any(), deposits(1)))
          .isInstanceOf(EventStoreException.class)
          .hasMessageContaining("Append to stream 'late'")
          .hasMessageContaining("position lock timeout")
          .hasMessageContaining("nothing was written");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
      holder.commit();
    }
    assertThat(store.streamVersion("late")).isZero();
    assertThat(store.append("late", ExpectedVersion.noStream(), deposits(1)).lastPosition())
        .isEqualTo(2);
  }

  @Test
  void withoutATimeoutAnAppendWaitsForTheHolderWhateverTheSessionsOwnLockTimeout()
      throws Exception {
    JdbcEventStore holderStore = store(builder -> builder);
    JdbcEventStore store =
        JdbcStores.builder(dialect(), shortLockWaitDataSource())
            .serializer(JdbcStores.contractSerializer())
            .tablePrefix(prefix)
            .build();
    try (Connection holder = dataSource().getConnection()) {
      holder.setAutoCommit(false);
      holderStore.append(holder, "holder", ExpectedVersion.any(), deposits(1));
      Future<AppendResult> waiting =
          pool.submit(() -> store.append("patient", ExpectedVersion.any(), deposits(1)));
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1_500));
      assertThat(waiting).as("still waiting after 5 x the session's timeout").isNotDone();
      holder.commit();
      assertThat(waiting.get(30, TimeUnit.SECONDS).lastPosition()).isEqualTo(2);
    }
  }

  /** Waits until the callers after the first are parked in the store's queue. */
  private void awaitQueued(int queued) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      long parked =
          callers.stream().skip(1).filter(t -> t.getState() == Thread.State.WAITING).count();
      if (parked >= queued) {
        return;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    throw new AssertionError("the appends did not queue up: " + callers);
  }

  private static Throwable failure(Future<?> future) throws InterruptedException {
    try {
      future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the append did not end", e);
    }
    throw new AssertionError("the append succeeded");
  }
}
