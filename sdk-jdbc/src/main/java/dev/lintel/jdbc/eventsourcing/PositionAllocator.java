package dev.lintel.jdbc.eventsourcing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Allocates global positions from the one-row positions table, in one round trip; the row's lock is
 * held until the transaction ends, which serializes appends at commit.
 */
@FunctionalInterface
interface PositionAllocator {

  /**
   * Adds {@code count} to the position row.
   *
   * @param connection a connection in the append's transaction
   * @param count how many positions to allocate
   * @return the last position allocated
   * @throws SQLException if the database fails or the row is missing
   */
  long allocate(Connection connection, int count) throws SQLException;

  /**
   * MariaDB: {@code LAST_INSERT_ID(expr)} hands the new value back in the update's own OK packet.
   *
   * @param tables the table names
   * @return the allocator
   */
  static PositionAllocator lastInsertId(TableNames tables) {
    String sql =
        "UPDATE "
            + tables.positions()
            + " SET last_position = LAST_INSERT_ID(last_position + ?) WHERE id = 1";
    return (connection, count) -> {
      try (PreparedStatement update =
          connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
        update.setInt(1, count);
        if (update.executeUpdate() != 1) {
          throw missingRow(tables);
        }
        try (ResultSet keys = update.getGeneratedKeys()) {
          return lastPosition(keys, tables);
        }
      }
    };
  }

  /**
   * H2: the updated row read back with {@code FINAL TABLE (UPDATE ...)}.
   *
   * @param tables the table names
   * @return the allocator
   */
  static PositionAllocator finalTable(TableNames tables) {
    String sql =
        "SELECT last_position FROM FINAL TABLE (UPDATE "
            + tables.positions()
            + " SET last_position = last_position + ? WHERE id = 1)";
    return (connection, count) -> {
      try (PreparedStatement update = connection.prepareStatement(sql)) {
        update.setInt(1, count);
        try (ResultSet last = update.executeQuery()) {
          return lastPosition(last, tables);
        }
      }
    };
  }

  private static long lastPosition(ResultSet rows, TableNames tables) throws SQLException {
    if (!rows.next()) {
      throw missingRow(tables);
    }
    return rows.getLong(1);
  }

  private static SQLException missingRow(TableNames tables) {
    return new SQLException(
        "Table " + tables.positions() + " has no row with id 1: create the schema first");
  }
}
