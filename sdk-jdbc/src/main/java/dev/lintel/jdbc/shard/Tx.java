package dev.lintel.jdbc.shard;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Short transactions on a data source: commit on success, roll back on any failure. */
final class Tx {
  private Tx() {}

  /** Work on a connection inside a transaction; it must not commit or roll back. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Runs work in a transaction of its own and commits it. */
  static <T> T run(DataSource dataSource, Work<T> work) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        try {
          connection.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      }
    }
  }

  /** Runs each statement of the work in a transaction of its own (auto-commit). */
  static <T> T autoCommit(DataSource dataSource, Work<T> work) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      return work.run(connection);
    }
  }
}
