package dev.lintel.jdbc.eventsourcing;

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
import java.util.UUID;

/**
 * PostgreSQL's append: one call of a PL/pgSQL function the schema creates, so that auto-committed
 * an append is one round trip and one transaction. Transient failures are retried.
 */
final class FunctionAppender implements Appender {

  /*
   * The whole append in one statement. It takes the same locks in the same order as the
   * statements of StatementAppender (the stream's row, then the position row, both held to commit)
   * and reports a version conflict as a result, not an error, leaving a caller's transaction
   * usable. Expected version: -2 any, -1 the stream exists, 0 no stream, n exactly n. Returns
   * {0, new version, last position, position lock wait in microseconds} or {1, actual version}.
   */
  private static final String APPEND_FUNCTION =
      """
      CREATE OR REPLACE FUNCTION {function}(p_stream VARCHAR, p_expected BIGINT, p_ids UUID[],
          p_types VARCHAR[], p_data TEXT[], p_metadata TEXT[], p_at TIMESTAMPTZ)
      RETURNS BIGINT[] LANGUAGE plpgsql AS $fn$
      DECLARE
        v_count INT := cardinality(p_ids);
        v_current BIGINT;
        v_last BIGINT;
        v_started TIMESTAMPTZ;
      BEGIN
        IF p_expected > 0 THEN
          UPDATE {streams} SET version = version + v_count
            WHERE stream_id = p_stream AND version = p_expected;
          IF NOT FOUND THEN
            RETURN ARRAY[1, COALESCE((SELECT version FROM {streams} WHERE stream_id = p_stream), 0)];
          END IF;
          v_current := p_expected;
        ELSIF p_expected = 0 THEN
          INSERT INTO {streams} (stream_id, version) VALUES (p_stream, v_count)
            ON CONFLICT DO NOTHING;
          IF NOT FOUND THEN
            RETURN ARRAY[1, COALESCE((SELECT version FROM {streams} WHERE stream_id = p_stream), 0)];
          END IF;
          v_current := 0;
        ELSIF p_expected = -1 THEN
          UPDATE {streams} SET version = version + v_count WHERE stream_id = p_stream
            RETURNING version - v_count INTO v_current;
          IF NOT FOUND THEN
            RETURN ARRAY[1, 0];
          END IF;
        ELSE
          INSERT INTO {streams} AS s (stream_id, version) VALUES (p_stream, v_count)
            ON CONFLICT (stream_id) DO UPDATE SET version = s.version + EXCLUDED.version
            RETURNING s.version - v_count INTO v_current;
        END IF;
        v_started := clock_timestamp();
        UPDATE {positions} SET last_position = last_position + v_count WHERE id = 1
          RETURNING last_position INTO v_last;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'table {positions} has no row 1: create the schema first';
        END IF;
        INSERT INTO {events}
            (position, stream_id, version, event_id, event_type, data, metadata, created_at)
          SELECT v_last - v_count + i, p_stream, v_current + i, p_ids[i], p_types[i],
                 p_data[i]::jsonb, p_metadata[i]::jsonb, p_at
          FROM generate_subscripts(p_ids, 1) AS i;
        RETURN ARRAY[0, v_current + v_count, v_last,
                     (extract(epoch FROM clock_timestamp() - v_started) * 1000000)::BIGINT];
      END
      $fn$
      """;

  private final JdbcDialect dialect;
  private final StoreStats stats;
  private final String call;

  FunctionAppender(JdbcDialect dialect, TableNames tables, StoreStats stats) {
    this.dialect = dialect;
    this.stats = stats;
    this.call = "SELECT " + tables.appendFunction() + "(?, ?, ?, ?, ?, ?, ?)";
  }

  /** The DDL that creates (or replaces) the append function. */
  static String createFunction(TableNames tables) {
    return APPEND_FUNCTION
        .replace("{function}", tables.appendFunction())
        .replace("{streams}", tables.streams())
        .replace("{positions}", tables.positions())
        .replace("{events}", tables.events());
  }

  @Override
  public AppendResult append(
      Transactions.ConnectionSource connections,
      String stream,
      ExpectedVersion expected,
      List<PendingEvent> events,
      Instant timestamp)
      throws SQLException, AppendConflict {
    return Transactions.autoCommitted(
        connections,
        Transactions.Retry.TRANSIENT,
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
    int count = events.size();
    UUID[] ids = new UUID[count];
    String[] types = new String[count];
    String[] data = new String[count];
    String[] metadata = new String[count];
    for (int i = 0; i < count; i++) {
      PendingEvent event = events.get(i);
      ids[i] = event.eventId();
      types[i] = event.type();
      data[i] = event.json();
      metadata[i] = event.metadataJson();
    }
    Long[] result;
    try (PreparedStatement statement = connection.prepareStatement(call)) {
      statement.setString(1, stream);
      statement.setLong(2, encode(expected));
      statement.setArray(3, connection.createArrayOf("uuid", ids));
      statement.setArray(4, connection.createArrayOf("varchar", types));
      statement.setArray(5, connection.createArrayOf("text", data));
      statement.setArray(6, connection.createArrayOf("text", metadata));
      dialect.setTimestamp(statement, 7, timestamp);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        result = (Long[]) row.getArray(1).getArray();
      }
    } catch (SQLException e) {
      if (dialect.isUniqueViolation(e)) {
        throw AppendConflict.duplicateEventId();
      }
      throw e;
    }
    if (result[0] != 0) {
      throw AppendConflict.versionMismatch(result[1]);
    }
    stats.positionLockWaited(stream, result[3] * 1_000);
    return new AppendResult(stream, result[1], result[2] - count + 1, result[2]);
  }

  /** The expected version as the append function reads it: -2 any, -1 exists, n exactly n. */
  private static long encode(ExpectedVersion expected) {
    if (expected.isExact()) {
      return expected.version();
    }
    return expected.isSatisfiedBy(0) ? -2 : -1;
  }
}
