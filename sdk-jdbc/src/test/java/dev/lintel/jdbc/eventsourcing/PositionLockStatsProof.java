package dev.lintel.jdbc.eventsourcing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.eventsourcing.AppendResult;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.WrongExpectedVersionException;
import dev.lintel.testing.ContractEvents.Deposited;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link JdbcEventStore#stats()} and the slow-lock warning report when an append transaction
 * holds the global position lock: the other writer's wait is measured (inside the append function
 * on PostgreSQL, around the position update elsewhere), counted as slow over the threshold, and
 * logged at WARN naming the waiting stream.
 */
abstract class PositionLockStatsProof {
  private static final long HOLD_MILLIS = 1_000;

  private final String prefix = JdbcStores.freshPrefix();

  abstract JdbcDialect dialect();

  abstract DataSource dataSource();

  @AfterEach
  void dropTables() {
    JdbcStores.dropTables(dataSource(), prefix);
  }

  private JdbcEventStore store(Duration slowLockWarning) {
    return JdbcStores.builder(dialect(), dataSource())
        .serializer(JdbcStores.contractSerializer())
        .tablePrefix(prefix)
        .slowLockWarning(slowLockWarning)
        .build()
        .createSchema();
  }

  private static List<NewEvent> deposit(String stream) {
    return List.of(NewEvent.of(new Deposited(stream, 1)));
  }

  @Test
  void aWaitBehindAnOpenAppendTransactionIsMeasuredCountedAndLogged() throws Exception {
    JdbcEventStore store = store(Duration.ofMillis(HOLD_MILLIS / 5));
    String blocked = prefix + "blocked";
    // The waiting stream exists, so that on MariaDB it waits on its own stream row and then on the
    // position lock, not on InnoDB's duplicate-key check next to the holder's new stream row.
    store.append(blocked, ExpectedVersion.noStream(), deposit("blocked"));
    String log;
    CompletableFuture<AppendResult> waiting;
    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      try (Connection holder = dataSource().getConnection()) {
        holder.setAutoCommit(false);
        store.append(holder, prefix + "holder", ExpectedVersion.any(), deposit("holder"));
        waiting =
            CompletableFuture.supplyAsync(
                () -> store.append(blocked, ExpectedVersion.any(), deposit("blocked")));
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS));
        assertThat(waiting).as("the second append waits for the first to commit").isNotDone();
        holder.commit();
      }
      assertThat(waiting.get(30, TimeUnit.SECONDS).lastPosition()).isEqualTo(3);
    } finally {
      System.setErr(stderr);
      log = captured.toString(StandardCharsets.UTF_8);
    }

    JdbcEventStore.Stats stats = store.stats();
    assertThat(stats.appends()).isEqualTo(3);
    assertThat(stats.slowPositionLockWaits()).isEqualTo(1);
    assertThat(stats.maxPositionLockWait())
        .isGreaterThanOrEqualTo(Duration.ofMillis(HOLD_MILLIS / 4))
        .isLessThan(Duration.ofSeconds(30));
    assertThat(stats.positionLockWait()).isGreaterThanOrEqualTo(stats.maxPositionLockWait());
    assertThat(log)
        .contains("WARN")
        .contains("Append to stream '" + blocked + "' waited")
        .contains("for the global position lock");
  }

  @Test
  void uncontendedAppendsWaitBrieflyAndWarnNever() {
    JdbcEventStore store = store(Duration.ofSeconds(5));

    for (int i = 0; i < 20; i++) {
      store.append(prefix + "s" + i, ExpectedVersion.noStream(), deposit("s"));
    }
    assertThatThrownBy(() -> store.append(prefix + "s0", ExpectedVersion.noStream(), deposit("s")))
        .isInstanceOf(WrongExpectedVersionException.class);

    JdbcEventStore.Stats stats = store.stats();
    assertThat(stats.appends()).isEqualTo(20);
    assertThat(stats.conflicts()).isEqualTo(1);
    assertThat(stats.slowPositionLockWaits()).isZero();
    assertThat(stats.maxPositionLockWait()).isLessThan(Duration.ofSeconds(5));
    assertThat(stats.positionLockWait()).isGreaterThanOrEqualTo(stats.maxPositionLockWait());
  }
}
