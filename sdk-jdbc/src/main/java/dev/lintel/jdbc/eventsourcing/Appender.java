package dev.lintel.jdbc.eventsourcing;

import dev.lintel.core.eventsourcing.AbstractEventStore.AppendConflict;
import dev.lintel.core.eventsourcing.AbstractEventStore.PendingEvent;
import dev.lintel.eventsourcing.AppendResult;
import dev.lintel.eventsourcing.ExpectedVersion;
import java.io.Serial;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * How appends reach the database: PostgreSQL's append function ({@link FunctionAppender}) or
 * locking statements ({@link StatementAppender}). A store gets one from its dialect when it is
 * built. Either way an append checks the expected version on the stream's row, allocates positions
 * under the position row's lock and inserts the events, holding both locks until commit.
 * Implementations are thread-safe.
 */
interface Appender {

  /**
   * Appends in a transaction of the appender's own, retried after transient failures.
   *
   * @param connections where connections come from
   * @param stream the stream id
   * @param expected the expected version
   * @param events the events
   * @param timestamp the time to record
   * @return the new version and positions, committed
   * @throws AppendConflict on a version mismatch or an event id already stored; nothing written
   * @throws NewStreamRace if creating the stream kept losing to concurrent appends, or lost with an
   *     exact expectation; nothing written
   * @throws SQLException if the database fails; nothing written
   */
  AppendResult append(
      Transactions.ConnectionSource connections,
      String stream,
      ExpectedVersion expected,
      List<PendingEvent> events,
      Instant timestamp)
      throws SQLException, AppendConflict;

  /**
   * Appends on a connection in a transaction (or, for a single statement, in auto-commit mode)
   * without committing or rolling back.
   *
   * @param connection the connection
   * @param stream the stream id
   * @param expected the expected version
   * @param events the events
   * @param timestamp the time to record
   * @return the new version and positions, final once the transaction commits
   * @throws AppendConflict on a version mismatch or an event id already stored
   * @throws NewStreamRace if a concurrent append created the stream first
   * @throws SQLException if the database fails
   */
  AppendResult write(
      Connection connection,
      String stream,
      ExpectedVersion expected,
      List<PendingEvent> events,
      Instant timestamp)
      throws SQLException, AppendConflict;

  /**
   * Tells which failures of an append, besides transient ones, are worth running it again: losing
   * the race to create the stream, unless the append expected the stream not to exist (then losing
   * is a version conflict).
   *
   * @param expected the append's expected version
   * @return the predicate
   */
  static Predicate<SQLException> raceWorthRetrying(ExpectedVersion expected) {
    return e -> e instanceof NewStreamRace && !expected.isExact();
  }

  /** A concurrent append created the same new stream first; the transaction must be rolled back. */
  final class NewStreamRace extends SQLException {
    @Serial private static final long serialVersionUID = 1L;

    NewStreamRace(SQLException uniqueViolation) {
      super(
          "A concurrent append created the stream first",
          uniqueViolation.getSQLState(),
          uniqueViolation.getErrorCode(),
          uniqueViolation);
    }
  }
}
