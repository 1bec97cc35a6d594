package dev.lintel.jdbc.eventsourcing;

import dev.lintel.TimeSource;
import dev.lintel.core.eventsourcing.AbstractEventStore.AppendConflict;
import dev.lintel.core.eventsourcing.AbstractEventStore.PendingEvent;
import dev.lintel.eventsourcing.AppendResult;
import dev.lintel.eventsourcing.ExpectedVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The append of MariaDB and H2: in one READ COMMITTED transaction, check and move the stream's
 * version on its row, allocate positions from the position row, insert the events, commit. The
 * stream's row is locked first and the position row second, as in PostgreSQL's append function.
 * Transient failures, and losing the race to create a new stream, are retried.
 */
final class StatementAppender implements Appender {
  private final JdbcDialect dialect;
  private final PositionAllocator positions;
  private final StoreStats stats;
  private final TimeSource timeSource;
  private final String updateExactVersion;
  private final String selectVersion;
  private final String selectVersionForUpdate;
  private final String insertStream;
  private final String updateVersion;
  private final String insertEvent;

  StatementAppender(
      JdbcDialect dialect,
      TableNames tables,
      PositionAllocator positions,
      StoreStats stats,
      TimeSource timeSource) {
    this.dialect = dialect;
    this.positions = positions;
    this.stats = stats;
    this.timeSource = timeSource;
    this.updateExactVersion =
        "UPDATE " + tables.streams() + " SET version = ? WHERE stream_id = ? AND version = ?";
    this.selectVersion = "SELECT version FROM " + tables.streams() + " WHERE stream_id = ?";
    this.selectVersionForUpdate = selectVersion + " FOR UPDATE";
    this.insertStream = "INSERT INTO " + tables.streams() + " (stream_id, version) VALUES (?, ?)";
    this.updateVersion = "UPDATE " + tables.streams() + " SET version = ? WHERE stream_id = ?";
    this.insertEvent =
        "INSERT INTO "
            + tables.events()
            + " (position, stream_id, version, event_id, event_type, data, metadata, created_at)"
            + " VALUES (?, ?, ?, ?, ?, "
            + dialect.jsonParameter()
            + ", "
            + dialect.jsonParameter()
            + ", ?)";
  }

  @Override
  public AppendResult append(
      Transactions.ConnectionSource connections,
      String stream,
      ExpectedVersion expected,
      List<PendingEvent> events,
      Instant timestamp)
      throws SQLException, AppendConflict {
    return Transactions.inTransaction(
        connections,
        Connection.TRANSACTION_READ_COMMITTED,
        Transactions.Retry.TRANSIENT.or(Appender.raceWorthRetrying(expected)),
        connection -> write(connection, stream, expected, events, timestamp));
  }

  @Override
  public AppendResult write(
      Connection connection,
      String stream,
      ExpectedVersion expected,
      List<PendingEvent> events,
      Instant timestamp)
      throws SQLException, AppendConflict {
    long newVersion = moveStreamVersion(connection, stream, expected, events.size());
    long firstVersion = newVersion - events.size() + 1;

    long waitStart = timeSource.nanoTime();
    long lastPosition = positions.allocate(connection, events.size());
    stats.positionLockWaited(stream, timeSource.nanoTime() - waitStart);
    long firstPosition = lastPosition - events.size() + 1;

    try (PreparedStatement insert = connection.prepareStatement(insertEvent)) {
      for (int i = 0; i < events.size(); i++) {
        PendingEvent event = events.get(i);
        insert.setLong(1, firstPosition + i);
        insert.setString(2, stream);
        insert.setLong(3, firstVersion + i);
        dialect.setUuid(insert, 4, event.eventId());
        insert.setString(5, event.type());
        insert.setString(6, event.json());
        insert.setString(7, event.metadataJson());
        dialect.setTimestamp(insert, 8, timestamp);
        insert.addBatch();
      }
      insert.executeBatch();
    } catch (SQLException e) {
      if (dialect.isUniqueViolation(e)) {
        throw AppendConflict.duplicateEventId();
      }
      throw e;
    }
    return new AppendResult(stream, newVersion, firstPosition, lastPosition);
  }

  /**
   * Checks the expected version on the stream's row and moves it forward, holding the row's lock
   * until the transaction ends. An exact expectation is one conditional update; "no stream" is one
   * insert; "any" and "exists" lock the row first.
   */
  private long moveStreamVersion(
      Connection connection, String stream, ExpectedVersion expected, int count)
      throws SQLException, AppendConflict {
    if (expected.isExact() && expected.version() > 0) {
      try (PreparedStatement update = connection.prepareStatement(updateExactVersion)) {
        update.setLong(1, expected.version() + count);
        update.setString(2, stream);
        update.setLong(3, expected.version());
        if (update.executeUpdate() == 1) {
          return expected.version() + count;
        }
      }
      throw AppendConflict.versionMismatch(readVersion(connection, selectVersion, stream));
    }
    long current = expected.isExact() ? 0 : readVersion(connection, selectVersionForUpdate, stream);
    if (!expected.isSatisfiedBy(current)) {
      throw AppendConflict.versionMismatch(current);
    }
    if (current == 0) {
      try (PreparedStatement insert = connection.prepareStatement(insertStream)) {
        insert.setString(1, stream);
        insert.setLong(2, count);
        insert.executeUpdate();
      } catch (SQLException e) {
        if (dialect.isUniqueViolation(e)) {
          throw new NewStreamRace(e);
        }
        throw e;
      }
      return count;
    }
    try (PreparedStatement update = connection.prepareStatement(updateVersion)) {
      update.setLong(1, current + count);
      update.setString(2, stream);
      update.executeUpdate();
    }
    return current + count;
  }

  private static long readVersion(Connection connection, String sql, String stream)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      select.setString(1, stream);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getLong(1) : 0;
      }
    }
  }
}
