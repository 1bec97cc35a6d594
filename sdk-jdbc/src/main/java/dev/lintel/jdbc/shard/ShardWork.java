package dev.lintel.jdbc.shard;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work on one shard's connection. The connection is borrowed for the call and closed afterwards;
 * the work must not keep it.
 *
 * @param <T> what the work returns
 */
@FunctionalInterface
public interface ShardWork<T> {

  /**
   * Runs the work.
   *
   * @param connection a connection to the shard's database, in auto-commit mode as its pool gave it
   * @return the result
   * @throws SQLException if the database fails
   */
  T run(Connection connection) throws SQLException;
}
