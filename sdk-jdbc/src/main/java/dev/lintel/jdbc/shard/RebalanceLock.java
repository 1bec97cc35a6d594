package dev.lintel.jdbc.shard;

import dev.lintel.core.shard.Xxh64;
import dev.lintel.shard.ShardingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps two rebalancers of one keyspace from running at once: a lock held by a session of the
 * control database for as long as a run lasts, so that it is released when the run ends, its
 * connection drops or its process dies. PostgreSQL: a session advisory lock (no transaction stays
 * open); MariaDB: {@code GET_LOCK}; H2: a row locked {@code FOR UPDATE NOWAIT} in an open
 * transaction.
 */
final class RebalanceLock implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RebalanceLock.class);

  private final Connection connection;

  private RebalanceLock(Connection connection) {
    this.connection = connection;
  }

  /**
   * Takes the lock, waiting up to {@code wait} for a previous holder's session to end.
   *
   * @throws ShardingException if another run holds it after the wait
   */
  static RebalanceLock acquire(DataSource control, String lockTable, String name, Duration wait)
      throws SQLException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      Connection connection = control.getConnection();
      boolean held = false;
      try {
        held = tryLock(connection, lockTable, name);
        if (held) {
          return new RebalanceLock(connection);
        }
      } finally {
        if (!held) {
          connection.close();
        }
      }
      if (System.nanoTime() > deadline) {
        throw new ShardingException(
            "a rebalance of '"
                + name
                + "' is running elsewhere (it holds the lock in the control database): wait for"
                + " it to end, or stop it");
      }
      try {
        TimeUnit.MILLISECONDS.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ShardingException("interrupted while waiting for the rebalance lock", e);
      }
    }
  }

  private static boolean tryLock(Connection connection, String lockTable, String name)
      throws SQLException {
    String key = "lintel-rebalance-" + Long.toHexString(Xxh64.hashUtf8(name));
    switch (ShardSql.of(connection)) {
      case POSTGRES -> {
        return queryBoolean(connection, "SELECT pg_try_advisory_lock(hashtextextended(?, 0))", key);
      }
      case MARIADB -> {
        return queryBoolean(connection, "SELECT GET_LOCK(?, 0) = 1", key);
      }
      default -> {
        try (Statement statement = connection.createStatement()) {
          statement.execute(
              "CREATE TABLE IF NOT EXISTS " + lockTable + " (name VARCHAR(64) PRIMARY KEY)");
        }
        try (PreparedStatement insert =
            connection.prepareStatement("INSERT INTO " + lockTable + " (name) VALUES (?)")) {
          insert.setString(1, key);
          insert.executeUpdate();
        } catch (SQLException e) {
          if (!ShardSql.isDuplicate(e)) {
            throw e;
          }
        }
        connection.setAutoCommit(false);
        try {
          queryBoolean(
              connection,
              "SELECT name IS NOT NULL FROM " + lockTable + " WHERE name = ? FOR UPDATE NOWAIT",
              key);
          return true;
        } catch (SQLException e) {
          connection.rollback();
          return false;
        }
      }
    }
  }

  private static boolean queryBoolean(Connection connection, String sql, String key)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      select.setString(1, key);
      try (ResultSet row = select.executeQuery()) {
        return row.next() && row.getBoolean(1);
      }
    }
  }

  /** Releases the lock by ending its session. */
  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      log.debug("Closing the rebalance lock's connection failed (the lock ends with it)", e);
    }
  }
}
