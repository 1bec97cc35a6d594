package dev.lintel.jdbc.eventsourcing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Refuses tables whose recorded schema version is not {@link Schema#VERSION}: newer ones, which a
 * later release created, and older ones, which {@code createSchema()} must migrate first. A store
 * checks once, before its first read or write (and again in {@code createSchema()}); once the check
 * has passed it is not repeated, so a database upgraded by a newer release while this store runs is
 * not noticed until the store is built again. Tables without a version (created by the first
 * release, or not created yet) pass. Thread-safe.
 */
final class SchemaVersionCheck {
  private final JdbcDialect dialect;
  private final TableNames tables;
  private final String selectVersion;
  private volatile boolean passed;

  SchemaVersionCheck(JdbcDialect dialect, TableNames tables) {
    this.dialect = dialect;
    this.tables = tables;
    this.selectVersion = "SELECT MAX(version) FROM " + tables.schemaVersion();
  }

  /**
   * Borrows a connection and checks the schema version on it, unless that was done before.
   *
   * @param dataSource where to borrow the connection
   * @return the connection, for the caller to close
   * @throws SchemaVersionException if the recorded version is not this release's
   * @throws SQLException if the connection or the check fails; the connection is then closed
   */
  Connection open(DataSource dataSource) throws SQLException {
    Connection connection = dataSource.getConnection();
    try {
      check(connection);
      return connection;
    } catch (SQLException | RuntimeException e) {
      try {
        connection.close();
      } catch (SQLException close) {
        e.addSuppressed(close);
      }
      throw e;
    }
  }

  /**
   * Checks the schema version on a connection, unless that was done before; a caller's transaction
   * on the connection stays usable.
   *
   * @param connection the connection, in auto-commit mode or in a transaction
   * @throws SchemaVersionException if the recorded version is not this release's
   * @throws SQLException if reading the version fails
   */
  void check(Connection connection) throws SQLException {
    if (!passed) {
      verify(connection);
    }
  }

  /**
   * Checks the schema version on a connection, even if that was done before.
   *
   * @param connection the connection, in auto-commit mode or in a transaction
   * @return the recorded version
   * @throws SchemaVersionException if the recorded version is not this release's
   * @throws SQLException if reading the version fails
   */
  int verify(Connection connection) throws SQLException {
    int recorded = recordedVersion(connection);
    if (recorded != Schema.VERSION) {
      throw new SchemaVersionException(tables, recorded, Schema.VERSION);
    }
    passed = true;
    return recorded;
  }

  /**
   * Reads the recorded version for {@code createSchema()}, refusing only tables of a newer release.
   *
   * @param connection the connection, in auto-commit mode
   * @return the recorded version
   * @throws SchemaVersionException if the recorded version is not this release's
   * @throws SQLException if reading the version fails
   */
  int verifyForMigration(Connection connection) throws SQLException {
    int recorded = recordedVersion(connection);
    if (recorded > Schema.VERSION) {
      throw new SchemaVersionException(tables, recorded, Schema.VERSION);
    }
    return recorded;
  }

  /**
   * Reads the highest version recorded, 0 if none is. A missing table is no error, and inside a
   * transaction the read runs under a savepoint: on PostgreSQL a failed statement would otherwise
   * abort the caller's whole transaction.
   */
  private int recordedVersion(Connection connection) throws SQLException {
    Savepoint savepoint = connection.getAutoCommit() ? null : connection.setSavepoint();
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(selectVersion)) {
      int version = row.next() ? row.getInt(1) : 0;
      if (savepoint != null) {
        connection.releaseSavepoint(savepoint);
      }
      return version;
    } catch (SQLException e) {
      if (!dialect.isMissingTable(e)) {
        throw e;
      }
      if (savepoint != null) {
        connection.rollback(savepoint);
      }
      return 0;
    }
  }
}
