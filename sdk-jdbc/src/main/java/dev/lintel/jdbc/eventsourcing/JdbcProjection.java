package dev.lintel.jdbc.eventsourcing;

import dev.lintel.eventsourcing.RecordedEvent;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A projection whose read model lives in the same database as its checkpoint: it writes through the
 * connection it is given, inside a transaction that also stores the checkpoint, so each event's
 * effect is applied exactly once. Wrap it with {@link TransactionalProjection#of}.
 */
public interface JdbcProjection {

  /**
   * Names the projection; its checkpoint is stored under this name.
   *
   * @return a stable name
   */
  String name();

  /**
   * Applies one event to the read model through the connection; do not commit.
   *
   * @param event the event
   * @param connection a connection in a transaction that the caller commits
   * @throws SQLException to roll the event back and stop the projection at it
   */
  void handle(RecordedEvent event, Connection connection) throws SQLException;

  /**
   * Clears the read model before a replay; do not commit.
   *
   * @param connection a connection in a transaction that the caller commits
   * @throws SQLException if it cannot be cleared
   */
  default void reset(Connection connection) throws SQLException {}
}
