package dev.lintel.jdbc.eventsourcing;

import static dev.lintel.testing.Eventually.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.core.eventsourcing.EventSerializer;
import dev.lintel.core.eventsourcing.JacksonEventSerializer;
import dev.lintel.core.eventsourcing.ProjectionRunner;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.eventsourcing.Snapshot;
import dev.lintel.testing.ContractEvents.Deposited;
import dev.lintel.testing.ManualTimeSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Checkpoints, snapshots and exactly-once projections on a real database. */
abstract class JdbcReadSideProof {
  private final String prefix = JdbcStores.freshPrefix();
  private JdbcEventStore store;

  abstract JdbcDialect dialect();

  abstract DataSource dataSource();

  @BeforeEach
  void createStore() throws SQLException {
    store = JdbcStores.create(dialect(), dataSource(), prefix);
    try (Connection connection = dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE "
              + prefix
              + "balances (account VARCHAR(100) PRIMARY KEY, total BIGINT NOT NULL)");
    }
  }

  @AfterEach
  void dropTables() throws SQLException {
    JdbcStores.dropTables(dataSource(), prefix);
    try (Connection connection = dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS " + prefix + "balances");
    }
  }

  /** Adds each deposit to its account's total: not idempotent, so a double delivery would show. */
  final class Balances implements JdbcProjection {
    final Set<Long> failOnce = new HashSet<>();

    @Override
    public String name() {
      return "balances-" + prefix;
    }

    @Override
    public void handle(RecordedEvent event, Connection connection) throws SQLException {
      Deposited deposit = (Deposited) event.data();
      try (PreparedStatement update =
          connection.prepareStatement(
              "UPDATE " + prefix + "balances SET total = total + ? WHERE account = ?")) {
        update.setLong(1, deposit.amount());
        update.setString(2, deposit.account());
        if (update.executeUpdate() == 0) {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO " + prefix + "balances (account, total) VALUES (?, ?)")) {
            insert.setString(1, deposit.account());
            insert.setLong(2, deposit.amount());
            insert.executeUpdate();
          }
        }
      }
      // A crash after the read model was written, before the commit.
      if (failOnce.remove(event.position())) {
        throw new SQLException("crashed after writing the read model for " + event.position());
      }
    }

    @Override
    public void reset(Connection connection) throws SQLException {
      try (Statement statement = connection.createStatement()) {
        statement.executeUpdate("DELETE FROM " + prefix + "balances");
      }
    }
  }

  @Test
  void aTransactionalProjectionAppliesEveryEventExactlyOnceAcrossFailures() throws Exception {
    Map<String, Long> expected = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      String account = "acct-" + (i % 9);
      int amount = i + 1;
      store.append(
          prefix + account,
          ExpectedVersion.any(),
          List.of(NewEvent.of(new Deposited(account, amount))));
      expected.merge(account, (long) amount, Long::sum);
    }
    JdbcCheckpointStore checkpoints = JdbcCheckpointStore.sharing(dataSource(), store);
    Balances balances = new Balances();
    for (long position = 7; position <= 300; position += 23) {
      balances.failOnce.add(position);
    }
    int failures = balances.failOnce.size();
    ProjectionRunner runner =
        ProjectionRunner.builder(
                store, checkpoints, TransactionalProjection.of(dataSource(), checkpoints, balances))
            .build();

    int restarts = 0;
    runner.start();
    while (runner.position() < 300) {
      awaitTrue(
          () -> runner.position() == 300 || runner.failure() != null, "progress or a failure");
      if (runner.failure() != null) {
        assertThat(checkpoints.load(balances.name())).isEqualTo(runner.failure().position() - 1);
        runner.stop();
        runner.start();
        restarts++;
      }
    }
    runner.stop();

    assertThat(restarts).isEqualTo(failures);
    assertThat(readBalances()).isEqualTo(expected);
    assertThat(checkpoints.load(balances.name())).isEqualTo(300);

    runner.replay();
    awaitTrue(() -> runner.position() == 300, "the replay");
    runner.stop();
    assertThat(readBalances()).isEqualTo(expected);
  }

  @Test
  void checkpointsAreStoredPerProjection() {
    JdbcCheckpointStore checkpoints = JdbcCheckpointStore.sharing(dataSource(), store);

    assertThat(checkpoints.load("a")).isZero();
    checkpoints.save("a", 42);
    checkpoints.save("b", 7);
    checkpoints.save("a", 43);

    assertThat(checkpoints.load("a")).isEqualTo(43);
    assertThat(checkpoints.load("b")).isEqualTo(7);
  }

  record Totals(String account, long total) {}

  @Test
  void snapshotsRoundTripAndAnUnreadableOneIsTreatedAsAbsent() throws SQLException {
    EventSerializer serializer =
        JacksonEventSerializer.builder().type(Totals.class, "totals").build();
    JdbcSnapshotStore snapshots = JdbcSnapshotStore.sharing(dataSource(), store, serializer);

    snapshots.save(new Snapshot("acct-1", 10, new Totals("acct-1", 100)));
    snapshots.save(new Snapshot("acct-1", 20, new Totals("acct-1", 250)));

    Optional<Snapshot> latest = snapshots.latest("acct-1");
    assertThat(latest).isPresent();
    assertThat(latest.get().version()).isEqualTo(20);
    assertThat(latest.get().state()).isEqualTo(new Totals("acct-1", 250));
    assertThat(snapshots.latest("acct-2")).isEmpty();

    JdbcSnapshotStore renamed =
        JdbcSnapshotStore.sharing(
            dataSource(),
            store,
            JacksonEventSerializer.builder().type(Totals.class, "totals.v2").build());
    assertThat(renamed.latest("acct-1")).isEmpty();
  }

  @Test
  void snapshotsAreStampedByTheEventStoresTimeSource() throws SQLException {
    Instant start = Instant.parse("2026-03-01T12:00:00.123456Z");
    ManualTimeSource time = ManualTimeSource.startingAt(start);
    JdbcEventStore timed =
        JdbcStores.builder(dialect(), dataSource())
            .serializer(JdbcStores.contractSerializer())
            .tablePrefix(prefix)
            .timeSource(time)
            .build();
    JdbcSnapshotStore snapshots =
        JdbcSnapshotStore.sharing(
            dataSource(),
            timed,
            JacksonEventSerializer.builder().type(Totals.class, "totals").build());

    snapshots.save(new Snapshot("acct-1", 10, new Totals("acct-1", 100)));
    assertThat(snapshotTakenAt("acct-1")).isEqualTo(start);
    time.advance(Duration.ofHours(1));
    snapshots.save(new Snapshot("acct-1", 20, new Totals("acct-1", 250)));
    assertThat(snapshotTakenAt("acct-1")).isEqualTo(start.plus(Duration.ofHours(1)));
  }

  private Instant snapshotTakenAt(String stream) throws SQLException {
    try (Connection connection = dataSource().getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT created_at FROM " + store.tables().snapshots() + " WHERE stream_id = ?")) {
      select.setString(1, stream);
      try (ResultSet row = select.executeQuery()) {
        assertThat(row.next()).isTrue();
        return dialect().getTimestamp(row, 1);
      }
    }
  }

  private Map<String, Long> readBalances() throws SQLException {
    Map<String, Long> totals = new HashMap<>();
    try (Connection connection = dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT account, total FROM " + prefix + "balances")) {
      while (rows.next()) {
        totals.put(rows.getString(1), rows.getLong(2));
      }
    }
    return totals;
  }
}
