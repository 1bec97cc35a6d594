package dev.lintel.jdbc.eventsourcing;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * The SQL databases the JDBC stores support. Each writes the same tables with its own column types
 * and the cheapest way it has to allocate global positions under a lock held until commit.
 */
public enum JdbcDialect {
  /** PostgreSQL 12 or newer: JSONB data, {@code UPDATE ... RETURNING}. The production target. */
  POSTGRES {
    @Override
    List<String> ddl(TableNames t) {
      return List.of(
          "CREATE TABLE IF NOT EXISTS "
              + t.events()
              + " ("
              + "position BIGINT PRIMARY KEY, stream_id VARCHAR(200) NOT NULL, version BIGINT NOT NULL,"
              + " event_id UUID NOT NULL, event_type VARCHAR(200) NOT NULL, data JSONB NOT NULL,"
              + " metadata JSONB NOT NULL, created_at TIMESTAMPTZ NOT NULL,"
              + " UNIQUE (stream_id, version), UNIQUE (event_id))",
          "CREATE TABLE IF NOT EXISTS "
              + t.streams()
              + " ("
              + "stream_id VARCHAR(200) PRIMARY KEY, version BIGINT NOT NULL)",
          "CREATE TABLE IF NOT EXISTS "
              + t.positions()
              + " ("
              + "id INT PRIMARY KEY, last_position BIGINT NOT NULL)",
          "INSERT INTO "
              + t.positions()
              + " (id, last_position) VALUES (1, 0) ON CONFLICT DO NOTHING",
          "CREATE TABLE IF NOT EXISTS "
              + t.snapshots()
              + " ("
              + "stream_id VARCHAR(200) PRIMARY KEY, version BIGINT NOT NULL,"
              + " snapshot_type VARCHAR(200) NOT NULL, data JSONB NOT NULL, created_at TIMESTAMPTZ NOT NULL)",
          "CREATE TABLE IF NOT EXISTS "
              + t.checkpoints()
              + " ("
              + "name VARCHAR(200) PRIMARY KEY, position BIGINT NOT NULL)",
          APPEND_FUNCTION
              .replace("{function}", t.appendFunction())
              .replace("{streams}", t.streams())
              .replace("{positions}", t.positions())
              .replace("{events}", t.events()));
    }

    @Override
    boolean appendsInOneStatement() {
      return true;
    }

    @Override
    String jsonParameter() {
      return "CAST(? AS JSONB)";
    }

    /**
     * The driver receives varchar and jsonb as UTF-8 text (it insists on that client encoding) and
     * {@code getBytes} hands those bytes over as they arrived.
     */
    @Override
    boolean readsJsonAsBytes() {
      return true;
    }

    /**
     * A TIMESTAMPTZ is an instant, which {@code getTimestamp} gives whatever the JVM's zone; it
     * costs a third of {@code getObject(index, OffsetDateTime.class)} in pgjdbc 42.7.
     */
    @Override
    Instant getTimestamp(ResultSet row, int index) throws SQLException {
      return row.getTimestamp(index).toInstant();
    }

    @Override
    long allocatePositions(java.sql.Connection connection, TableNames t, int count)
        throws SQLException {
      return queryLastPosition(
          connection,
          t,
          count,
          "UPDATE "
              + t.positions()
              + " SET last_position = last_position + ? WHERE id = 1 RETURNING last_position");
    }

    @Override
    String upsertCheckpoint(TableNames t) {
      return "INSERT INTO "
          + t.checkpoints()
          + " (name, position) VALUES (?, ?)"
          + " ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position";
    }

    @Override
    String upsertSnapshot(TableNames t) {
      return "INSERT INTO "
          + t.snapshots()
          + " (stream_id, version, snapshot_type, data, created_at)"
          + " VALUES (?, ?, ?, CAST(? AS JSONB), ?) ON CONFLICT (stream_id) DO UPDATE SET"
          + " version = EXCLUDED.version, snapshot_type = EXCLUDED.snapshot_type,"
          + " data = EXCLUDED.data, created_at = EXCLUDED.created_at";
    }

    @Override
    boolean isUniqueViolation(SQLException e) {
      return "23505".equals(e.getSQLState());
    }
  },

  /** MariaDB 10.6 or newer (and MySQL 8): InnoDB, text JSON, positions through LAST_INSERT_ID. */
  MARIADB {
    @Override
    List<String> ddl(TableNames t) {
      String table = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
      return List.of(
          "CREATE TABLE IF NOT EXISTS "
              + t.events()
              + " ("
              + "position BIGINT PRIMARY KEY, stream_id VARCHAR(200) NOT NULL, version BIGINT NOT NULL,"
              + " event_id CHAR(36) NOT NULL, event_type VARCHAR(200) NOT NULL, data LONGTEXT NOT NULL,"
              + " metadata TEXT NOT NULL, created_at DATETIME(6) NOT NULL,"
              + " UNIQUE KEY (stream_id, version), UNIQUE KEY (event_id))"
              + table,
          "CREATE TABLE IF NOT EXISTS "
              + t.streams()
              + " ("
              + "stream_id VARCHAR(200) PRIMARY KEY, version BIGINT NOT NULL)"
              + table,
          "CREATE TABLE IF NOT EXISTS "
              + t.positions()
              + " ("
              + "id INT PRIMARY KEY, last_position BIGINT NOT NULL)"
              + table,
          "INSERT IGNORE INTO " + t.positions() + " (id, last_position) VALUES (1, 0)",
          "CREATE TABLE IF NOT EXISTS "
              + t.snapshots()
              + " ("
              + "stream_id VARCHAR(200) PRIMARY KEY, version BIGINT NOT NULL,"
              + " snapshot_type VARCHAR(200) NOT NULL, data LONGTEXT NOT NULL,"
              + " created_at DATETIME(6) NOT NULL)"
              + table,
          "CREATE TABLE IF NOT EXISTS "
              + t.checkpoints()
              + " ("
              + "name VARCHAR(200) PRIMARY KEY, position BIGINT NOT NULL)"
              + table);
    }

    @Override
    long allocatePositions(java.sql.Connection connection, TableNames t, int count)
        throws SQLException {
      // LAST_INSERT_ID(expr) hands the new value back in the same round trip's OK packet.
      try (PreparedStatement update =
          connection.prepareStatement(
              "UPDATE "
                  + t.positions()
                  + " SET last_position = LAST_INSERT_ID(last_position + ?)"
                  + " WHERE id = 1",
              Statement.RETURN_GENERATED_KEYS)) {
        update.setInt(1, count);
        if (update.executeUpdate() != 1) {
          throw missingPositionsRow(t);
        }
        try (ResultSet keys = update.getGeneratedKeys()) {
          return requireRow(keys, t).getLong(1);
        }
      }
    }

    @Override
    String upsertCheckpoint(TableNames t) {
      return "INSERT INTO "
          + t.checkpoints()
          + " (name, position) VALUES (?, ?)"
          + " ON DUPLICATE KEY UPDATE position = VALUES(position)";
    }

    @Override
    String upsertSnapshot(TableNames t) {
      return "INSERT INTO "
          + t.snapshots()
          + " (stream_id, version, snapshot_type, data, created_at)"
          + " VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE version = VALUES(version),"
          + " snapshot_type = VALUES(snapshot_type), data = VALUES(data),"
          + " created_at = VALUES(created_at)";
    }

    @Override
    boolean isUniqueViolation(SQLException e) {
      return e.getErrorCode() == 1062;
    }

    @Override
    void setUuid(PreparedStatement statement, int index, UUID id) throws SQLException {
      statement.setString(index, id.toString());
    }

    @Override
    UUID getUuid(ResultSet row, int index) throws SQLException {
      return UUID.fromString(row.getString(index));
    }

    @Override
    void setTimestamp(PreparedStatement statement, int index, Instant instant) throws SQLException {
      statement.setObject(index, LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    @Override
    Instant getTimestamp(ResultSet row, int index) throws SQLException {
      return row.getObject(index, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }
  },

  /** H2 2.x, the embedded default: positions through {@code FINAL TABLE (UPDATE ...)}. */
  H2 {
    @Override
    List<String> ddl(TableNames t) {
      return List.of(
          "CREATE TABLE IF NOT EXISTS "
              + t.events()
              + " ("
              + "position BIGINT PRIMARY KEY, stream_id VARCHAR(200) NOT NULL, version BIGINT NOT NULL,"
              + " event_id UUID NOT NULL, event_type VARCHAR(200) NOT NULL,"
              + " data CHARACTER LARGE OBJECT NOT NULL, metadata CHARACTER LARGE OBJECT NOT NULL,"
              + " created_at TIMESTAMP WITH TIME ZONE NOT NULL,"
              + " UNIQUE (stream_id, version), UNIQUE (event_id))",
          "CREATE TABLE IF NOT EXISTS "
              + t.streams()
              + " ("
              + "stream_id VARCHAR(200) PRIMARY KEY, version BIGINT NOT NULL)",
          "CREATE TABLE IF NOT EXISTS "
              + t.positions()
              + " ("
              + "id INT PRIMARY KEY, last_position BIGINT NOT NULL)",
          // Not MERGE ... KEY (id): that would reset the counter of existing tables to 0.
          "MERGE INTO "
              + t.positions()
              + " p USING (VALUES (1, 0)) AS s (id, last_position) ON p.id = s.id"
              + " WHEN NOT MATCHED THEN INSERT (id, last_position) VALUES (s.id, s.last_position)",
          "CREATE TABLE IF NOT EXISTS "
              + t.snapshots()
              + " ("
              + "stream_id VARCHAR(200) PRIMARY KEY, version BIGINT NOT NULL,"
              + " snapshot_type VARCHAR(200) NOT NULL, data CHARACTER LARGE OBJECT NOT NULL,"
              + " created_at TIMESTAMP WITH TIME ZONE NOT NULL)",
          "CREATE TABLE IF NOT EXISTS "
              + t.checkpoints()
              + " ("
              + "name VARCHAR(200) PRIMARY KEY, position BIGINT NOT NULL)");
    }

    @Override
    long allocatePositions(java.sql.Connection connection, TableNames t, int count)
        throws SQLException {
      return queryLastPosition(
          connection,
          t,
          count,
          "SELECT last_position FROM FINAL TABLE (UPDATE "
              + t.positions()
              + " SET last_position = last_position + ? WHERE id = 1)");
    }

    @Override
    String upsertCheckpoint(TableNames t) {
      return "MERGE INTO " + t.checkpoints() + " (name, position) KEY (name) VALUES (?, ?)";
    }

    @Override
    String upsertSnapshot(TableNames t) {
      return "MERGE INTO "
          + t.snapshots()
          + " (stream_id, version, snapshot_type, data, created_at) KEY (stream_id)"
          + " VALUES (?, ?, ?, ?, ?)";
    }

    @Override
    boolean isUniqueViolation(SQLException e) {
      return "23505".equals(e.getSQLState());
    }
  };

  /*
   * PostgreSQL's whole append in one statement, so that with auto-commit it is one round trip and
   * one transaction. It takes the same locks in the same order as the other dialects (the stream's
   * row, then the position row, both held to commit) and reports a version conflict as a result, not
   * an error, leaving a caller's transaction usable. Expected version: -2 any, -1 the stream exists,
   * 0 no stream, n exactly n. Returns {0, new version, last position, position lock wait in
   * microseconds} or {1, actual version}.
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

  /** The statements that create the tables, idempotently. */
  abstract List<String> ddl(TableNames tables);

  /** Allocates {@code count} positions and returns the last; the lock is held until commit. */
  abstract long allocatePositions(java.sql.Connection connection, TableNames tables, int count)
      throws SQLException;

  /** Inserts or replaces a checkpoint: parameters name, position. */
  abstract String upsertCheckpoint(TableNames tables);

  /** Inserts or replaces a snapshot: stream, version, type, data, created_at. */
  abstract String upsertSnapshot(TableNames tables);

  /** Tells whether the exception is a unique-key violation. */
  abstract boolean isUniqueViolation(SQLException e);

  /** Tells whether appends go through the one-statement function the schema creates. */
  boolean appendsInOneStatement() {
    return false;
  }

  /**
   * Tells whether text and JSON columns are read with {@code getBytes} as UTF-8, which spares a
   * string per column; otherwise with {@code getString}.
   */
  boolean readsJsonAsBytes() {
    return false;
  }

  /** The placeholder for a JSON parameter. */
  String jsonParameter() {
    return "?";
  }

  void setUuid(PreparedStatement statement, int index, UUID id) throws SQLException {
    statement.setObject(index, id);
  }

  UUID getUuid(ResultSet row, int index) throws SQLException {
    return row.getObject(index, UUID.class);
  }

  void setTimestamp(PreparedStatement statement, int index, Instant instant) throws SQLException {
    statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  Instant getTimestamp(ResultSet row, int index) throws SQLException {
    return row.getObject(index, OffsetDateTime.class).toInstant();
  }

  /** Runs a statement that adds {@code count} to the position row and returns its new value. */
  private static long queryLastPosition(
      java.sql.Connection connection, TableNames t, int count, String sql) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(sql)) {
      update.setInt(1, count);
      try (ResultSet last = update.executeQuery()) {
        return requireRow(last, t).getLong(1);
      }
    }
  }

  private static ResultSet requireRow(ResultSet rows, TableNames t) throws SQLException {
    if (!rows.next()) {
      throw missingPositionsRow(t);
    }
    return rows;
  }

  private static SQLException missingPositionsRow(TableNames t) {
    return new SQLException(
        "Table " + t.positions() + " has no row with id 1: create the schema first");
  }
}
