package dev.lintel.jdbc.eventsourcing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Commit, rollback and retry of the one transaction helper, on H2. */
class TransactionsTest {
  private static final SQLException DEADLOCK = new SQLException("deadlock", "40001");
  private static final SQLException BROKEN = new SQLException("broken", "42000");

  private final DataSource dataSource = JdbcStores.h2().dataSource();
  private final AtomicInteger connectionsOpened = new AtomicInteger();
  private final Transactions.ConnectionSource connections =
      () -> {
        connectionsOpened.incrementAndGet();
        return dataSource.getConnection();
      };

  @BeforeEach
  void createTable() throws SQLException {
    execute("CREATE TABLE rows_written (n INT NOT NULL)");
  }

  @Test
  void aLoopingCauseChainIsNotTransientAndDoesNotHang() {
    SQLException first = new SQLException("first", "42000");
    SQLException second = new SQLException("second", "42000");
    first.initCause(second);
    second.initCause(first);

    assertThat(Transactions.isTransient(first)).isFalse();
    assertThat(Transactions.isTransient(new SQLException("wrapped", "08000", DEADLOCK))).isTrue();
  }

  @Test
  void workIsCommittedAndItsResultReturned() throws SQLException {
    int result =
        Transactions.inTransaction(
            connections, Transactions.Retry.NEVER, connection -> insert(connection, 1));

    assertThat(result).isEqualTo(1);
    assertThat(rows()).containsExactly(1);
  }

  @Test
  void aTransientFailureIsRolledBackAndRetriedOnAFreshConnection() throws SQLException {
    AtomicInteger attempts = new AtomicInteger();

    Transactions.inTransaction(
        connections,
        Connection.TRANSACTION_READ_COMMITTED,
        Transactions.Retry.TRANSIENT,
        connection -> {
          insert(connection, attempts.incrementAndGet());
          if (attempts.get() < 3) {
            throw DEADLOCK;
          }
          return null;
        });

    assertThat(attempts).hasValue(3);
    assertThat(connectionsOpened).hasValue(3);
    assertThat(rows()).containsExactly(3);
  }

  @Test
  void retriesStopAfterMaxAttemptsWithTheLastFailure() throws SQLException {
    AtomicInteger attempts = new AtomicInteger();

    assertThatThrownBy(
            () ->
                Transactions.inTransaction(
                    connections,
                    Transactions.Retry.TRANSIENT,
                    connection -> {
                      insert(connection, attempts.incrementAndGet());
                      throw DEADLOCK;
                    }))
        .isSameAs(DEADLOCK);

    assertThat(attempts).hasValue(Transactions.MAX_ATTEMPTS);
    assertThat(rows()).isEmpty();
  }

  @Test
  void aFailureNotWorthRetryingIsRolledBackAndThrownAtOnce() throws SQLException {
    AtomicInteger attempts = new AtomicInteger();

    assertThatThrownBy(
            () ->
                Transactions.inTransaction(
                    connections,
                    Transactions.Retry.TRANSIENT,
                    connection -> {
                      insert(connection, attempts.incrementAndGet());
                      throw BROKEN;
                    }))
        .isSameAs(BROKEN);
    assertThatThrownBy(
            () ->
                Transactions.inTransaction(
                    connections,
                    Transactions.Retry.TRANSIENT,
                    connection -> {
                      insert(connection, attempts.incrementAndGet());
                      throw new IllegalStateException("not SQL");
                    }))
        .isInstanceOf(IllegalStateException.class);

    assertThat(attempts).hasValue(2);
    assertThat(rows()).isEmpty();
  }

  @Test
  void anotherFailureCanBeMadeWorthRetrying() throws SQLException {
    AtomicInteger attempts = new AtomicInteger();

    Transactions.inTransaction(
        connections,
        Transactions.Retry.TRANSIENT.or(e -> e == BROKEN),
        connection -> {
          if (attempts.incrementAndGet() == 1) {
            throw BROKEN;
          }
          return insert(connection, attempts.get());
        });

    assertThat(rows()).containsExactly(2);
  }

  @Test
  void autoCommittedWorkIsRetriedAfterATransientFailure() throws SQLException {
    AtomicInteger attempts = new AtomicInteger();

    Transactions.autoCommitted(
        connections,
        Transactions.Retry.TRANSIENT,
        connection -> {
          assertThat(connection.getAutoCommit()).isTrue();
          if (attempts.incrementAndGet() < 2) {
            throw DEADLOCK;
          }
          return insert(connection, attempts.get());
        });

    assertThat(rows()).containsExactly(2);
  }

  @Test
  void aFailureUnderASavepointUndoesOnlyTheWorkAndLeavesTheCallersTransactionUsable()
      throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      insert(connection, 1);
      assertThatThrownBy(
              () ->
                  Transactions.underSavepoint(
                      connection,
                      Transactions.Retry.NEVER,
                      joined -> {
                        insert(joined, 2);
                        throw BROKEN;
                      }))
          .isSameAs(BROKEN);
      insert(connection, 3);
      connection.commit();
    }

    assertThat(rows()).containsExactly(1, 3);
  }

  @Test
  void underASavepointATransientFailureIsNeverRetried() throws SQLException {
    AtomicInteger attempts = new AtomicInteger();
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);

      assertThatThrownBy(
              () ->
                  Transactions.underSavepoint(
                      connection,
                      Transactions.Retry.TRANSIENT,
                      joined -> {
                        attempts.incrementAndGet();
                        throw DEADLOCK;
                      }))
          .isSameAs(DEADLOCK);
      connection.rollback();
    }

    assertThat(attempts).hasValue(1);
  }

  @Test
  void underASavepointARetriedFailureRunsTheWorkAgainFromTheSavepoint() throws SQLException {
    AtomicInteger attempts = new AtomicInteger();
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      Transactions.underSavepoint(
          connection,
          new Transactions.Retry(e -> e == BROKEN),
          joined -> {
            insert(joined, 10 + attempts.incrementAndGet());
            if (attempts.get() < 3) {
              throw BROKEN;
            }
            return null;
          });
      connection.commit();
    }

    assertThat(rows()).containsExactly(13);
  }

  @Test
  void onlyDeadlocksAndSerializationFailuresAreTransient() {
    assertThat(Transactions.isTransient(DEADLOCK)).isTrue();
    assertThat(Transactions.isTransient(new SQLException("pg deadlock", "40P01"))).isTrue();
    assertThat(Transactions.isTransient(new SQLException("wrapped", "08006", DEADLOCK))).isTrue();
    assertThat(Transactions.isTransient(BROKEN)).isFalse();
    assertThat(Transactions.isTransient(new SQLException("unique", "23505"))).isFalse();
  }

  private static int insert(Connection connection, int n) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.executeUpdate("INSERT INTO rows_written (n) VALUES (" + n + ")");
    }
    return n;
  }

  private List<Integer> rows() throws SQLException {
    List<Integer> rows = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT n FROM rows_written ORDER BY n")) {
      while (result.next()) {
        rows.add(result.getInt(1));
      }
    }
    return rows;
  }

  private void execute(String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
