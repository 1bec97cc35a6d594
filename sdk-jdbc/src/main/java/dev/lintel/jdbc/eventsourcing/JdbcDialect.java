package dev.lintel.jdbc.eventsourcing;

import dev.lintel.TimeSource;
import dev.lintel.core.eventsourcing.AbstractEventStore.PendingEvent;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The SQL databases the JDBC stores support. All three hold the same tables (described once, in
 * {@code Schema}); a dialect states only what really differs: column types and table options,
 * upsert syntax, how UUIDs and timestamps are bound and read, how errors are recognised, and how an
 * append reaches the database.
 */
public enum JdbcDialect {
  /**
   * PostgreSQL 12 or newer, the production target: JSONB data, and each append is one call of a
   * PL/pgSQL function the schema creates.
   */
  POSTGRES(new ColumnTypes("UUID", "JSONB", "JSONB", "TIMESTAMPTZ"), "") {
    @Override
    String insertIfAbsent(String table, String key, List<String> columns, String values) {
      return "INSERT " + into(table, columns, values) + " ON CONFLICT DO NOTHING";
    }

    @Override
    String upsert(String table, String key, List<String> columns, String values) {
      return "INSERT "
          + into(table, columns, values)
          + " ON CONFLICT ("
          + key
          + ") DO UPDATE SET "
          + assignments(columns, key, "EXCLUDED.%s");
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
    boolean isUniqueKeyError(SQLException e) {
      return "23505".equals(e.getSQLState());
    }

    /** 42P01: undefined table, also when its schema does not exist. */
    @Override
    boolean isMissingTable(SQLException e) {
      return "42P01".equals(e.getSQLState());
    }

    @Override
    List<String> appenderDdl(TableNames tables) {
      return FunctionAppender.createFunctions(tables);
    }

    @Override
    Appender appender(
        TableNames tables,
        StoreStats stats,
        TimeSource timeSource,
        Duration lockTimeout,
        boolean notify) {
      return new FunctionAppender(
          tables, stats, (int) Math.min(Integer.MAX_VALUE, lockTimeout.toMillis()), notify);
    }

    /** 55P03: lock_not_available, raised when {@code lock_timeout} ran out. */
    @Override
    boolean isLockTimeout(SQLException e) {
      return "55P03".equals(e.getSQLState());
    }

    /** JSONB cannot hold the character U+0000 in a string. */
    @Override
    void requireStorable(String stream, int index, PendingEvent event) {
      if (hasNulEscape(event.json()) || hasNulEscape(event.metadataJson())) {
        throw new IllegalArgumentException(
            "Event "
                + index
                + " of the append to stream '"
                + stream
                + "' (type '"
                + event.type()
                + "') has the character U+0000 in a string, which PostgreSQL's JSONB cannot store");
      }
    }
  },

  /**
   * MariaDB 10.6 or newer: InnoDB, JSON as text in the no-pad binary collation, appends as locking
   * statements.
   */
  MARIADB(
      new ColumnTypes("CHAR(36)", "LONGTEXT", "TEXT", "DATETIME(6)"),
      " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin") {
    /** Every text column of every table to the no-pad binary collation (rebuilds each table). */
    @Override
    List<String> migrationToVersion2(TableNames tables) {
      return Stream.of(
              tables.events(),
              tables.streams(),
              tables.positions(),
              tables.snapshots(),
              tables.checkpoints(),
              tables.schemaVersion())
          .map(
              table ->
                  "ALTER TABLE "
                      + table
                      + " CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin")
          .toList();
    }

    @Override
    String insertIfAbsent(String table, String key, List<String> columns, String values) {
      return "INSERT IGNORE " + into(table, columns, values);
    }

    @Override
    String upsert(String table, String key, List<String> columns, String values) {
      return "INSERT "
          + into(table, columns, values)
          + " ON DUPLICATE KEY UPDATE "
          + assignments(columns, key, "VALUES(%s)");
    }

    @Override
    boolean isUniqueKeyError(SQLException e) {
      return e.getErrorCode() == 1062;
    }

    /** 1146: no such table, also when its database does not exist. */
    @Override
    boolean isMissingTable(SQLException e) {
      return e.getErrorCode() == 1146;
    }

    @Override
    void setUuid(PreparedStatement statement, int index, UUID id) throws SQLException {
      statement.setString(index, id.toString());
    }

    @Override
    UUID getUuid(ResultSet row, int index) throws SQLException {
      return UUID.fromString(row.getString(index));
    }

    /** A DATETIME has no zone: the stores write and read it as UTC. */
    @Override
    void setTimestamp(PreparedStatement statement, int index, Instant instant) throws SQLException {
      statement.setObject(index, LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    @Override
    Instant getTimestamp(ResultSet row, int index) throws SQLException {
      return row.getObject(index, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }

    /**
     * {@code FOR UPDATE WAIT n} counts whole seconds: the timeout is rounded up; no timeout waits
     * up to a year, not {@code innodb_lock_wait_timeout}, as on the other databases.
     */
    @Override
    Appender appender(
        TableNames tables,
        StoreStats stats,
        TimeSource timeSource,
        Duration lockTimeout,
        boolean notify) {
      long seconds = lockTimeout.isZero() ? 31_536_000 : (lockTimeout.toMillis() + 999) / 1000;
      return new StatementAppender(this, tables, stats, timeSource, " WAIT " + seconds, -1);
    }

    /** 1205: lock wait timeout exceeded. */
    @Override
    boolean isLockTimeout(SQLException e) {
      return e.getErrorCode() == 1205;
    }

    /** The metadata column is a TEXT: at most 65,535 bytes. */
    @Override
    void requireStorable(String stream, int index, PendingEvent event) {
      String metadata = event.metadataJson();
      if (metadata.length() <= MAX_TEXT_BYTES / 3) {
        return; // at most 3 UTF-8 bytes per UTF-16 unit: cannot exceed the limit
      }
      int bytes = metadata.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_TEXT_BYTES) {
        throw new IllegalArgumentException(
            "Event "
                + index
                + " of the append to stream '"
                + stream
                + "' has "
                + bytes
                + " bytes of metadata, over MariaDB's limit of "
                + MAX_TEXT_BYTES);
      }
    }
  },

  /** H2 2.x, the embedded default: appends as locking statements. */
  H2(
      new ColumnTypes(
          "UUID", "CHARACTER LARGE OBJECT", "CHARACTER LARGE OBJECT", "TIMESTAMP WITH TIME ZONE"),
      "") {
    /** Not {@code MERGE ... KEY}: that updates an existing row (it reset the position counter). */
    @Override
    String insertIfAbsent(String table, String key, List<String> columns, String values) {
      String names = String.join(", ", columns);
      return "MERGE INTO "
          + table
          + " t USING (VALUES ("
          + values
          + ")) AS s ("
          + names
          + ") ON t."
          + key
          + " = s."
          + key
          + " WHEN NOT MATCHED THEN INSERT ("
          + names
          + ") VALUES ("
          + columns.stream().map(column -> "s." + column).collect(Collectors.joining(", "))
          + ")";
    }

    @Override
    String upsert(String table, String key, List<String> columns, String values) {
      return "MERGE INTO "
          + table
          + " ("
          + String.join(", ", columns)
          + ") KEY ("
          + key
          + ") VALUES ("
          + values
          + ")";
    }

    @Override
    boolean isUniqueKeyError(SQLException e) {
      return "23505".equals(e.getSQLState());
    }

    /**
     * 42102: no such table; 42103: none, but one named alike; 42104: none, the database is empty;
     * 90079: no such schema.
     */
    @Override
    boolean isMissingTable(SQLException e) {
      int code = e.getErrorCode();
      return (code >= 42102 && code <= 42104) || code == 90079;
    }

    /**
     * H2 waits for a lock as long as the session's {@code LOCK_TIMEOUT} says: store-owned appends
     * set it for their transaction (no timeout: as long as an int of milliseconds allows).
     */
    @Override
    Appender appender(
        TableNames tables,
        StoreStats stats,
        TimeSource timeSource,
        Duration lockTimeout,
        boolean notify) {
      long millis =
          lockTimeout.isZero()
              ? Integer.MAX_VALUE
              : Math.min(Integer.MAX_VALUE, lockTimeout.toMillis());
      return new StatementAppender(this, tables, stats, timeSource, "", millis);
    }

    /** 50200: timeout trying to lock a table or row. */
    @Override
    boolean isLockTimeout(SQLException e) {
      return e.getErrorCode() == 50200;
    }
  };

  private static final int MAX_TEXT_BYTES = 65_535;

  private final ColumnTypes columnTypes;
  private final String tableOptions;

  JdbcDialect(ColumnTypes columnTypes, String tableOptions) {
    this.columnTypes = columnTypes;
    this.tableOptions = tableOptions;
  }

  /** The column types that differ between the databases. */
  ColumnTypes columnTypes() {
    return columnTypes;
  }

  /** What follows {@code CREATE TABLE name (...)}: MariaDB's engine, character set, collation. */
  String tableOptions() {
    return tableOptions;
  }

  /**
   * An insert that does nothing when a row with the same key exists: seeds that {@code
   * createSchema()} may run again on tables in use.
   *
   * @param table the table
   * @param key the primary key column
   * @param columns the columns to insert
   * @param values their SQL literals, comma-separated (constants, never user input)
   */
  abstract String insertIfAbsent(String table, String key, List<String> columns, String values);

  /**
   * An insert that replaces the row with the same key.
   *
   * @param table the table
   * @param key the primary key column, the first of {@code columns}
   * @param columns the columns to write
   * @param values their placeholders, comma-separated
   */
  abstract String upsert(String table, String key, List<String> columns, String values);

  /** Tells whether this one exception reports a unique-key violation. */
  abstract boolean isUniqueKeyError(SQLException e);

  /**
   * Tells whether the exception, one chained to it as the next exception (a batch's) or its cause
   * reports a unique-key violation.
   */
  boolean isUniqueViolation(SQLException e) {
    for (SQLException next = e; next != null; next = next.getNextException()) {
      if (isUniqueKeyError(next)) {
        return true;
      }
    }
    return e.getCause() instanceof SQLException cause && isUniqueKeyError(cause);
  }

  /** Tells whether the exception says that a table (or its schema) does not exist. */
  abstract boolean isMissingTable(SQLException e);

  /**
   * Creates how a store's appends reach this database; called once, when the store is built.
   *
   * @param tables the table names
   * @param stats where appends record their lock waits
   * @param timeSource times lock waits
   * @param lockTimeout the longest a store-owned append waits for the position lock; zero for the
   *     database's own limit
   * @param notify whether appends announce their last position to other instances, where the
   *     database can
   */
  abstract Appender appender(
      TableNames tables,
      StoreStats stats,
      TimeSource timeSource,
      Duration lockTimeout,
      boolean notify);

  /**
   * Refuses an event this database cannot store, before it reaches a transaction that other
   * callers' appends share.
   *
   * @param stream the stream id
   * @param index the event's number in its append, from 1
   * @param event the serialized event
   * @throws IllegalArgumentException if the database cannot store it
   */
  void requireStorable(String stream, int index, PendingEvent event) {}

  /**
   * Tells whether JSON text holds the escape of U+0000 (not an escaped backslash before "u0000").
   */
  static boolean hasNulEscape(String json) {
    for (int at = json.indexOf("\\u0000"); at >= 0; at = json.indexOf("\\u0000", at + 1)) {
      int backslashes = 0;
      for (int i = at; i >= 0 && json.charAt(i) == '\\'; i--) {
        backslashes++;
      }
      if (backslashes % 2 == 1) {
        return true;
      }
    }
    return false;
  }

  /** Tells whether this one exception reports that waiting for a lock timed out. */
  abstract boolean isLockTimeout(SQLException e);

  /** Tells whether the exception, or one in its chain of causes, reports a lock timeout. */
  boolean isLockTimeoutAnywhere(SQLException e) {
    return Transactions.anyInCauseChain(e, this::isLockTimeout);
  }

  /** The statements that change tables of schema version 1 into version 2 (none but on MariaDB). */
  List<String> migrationToVersion2(TableNames tables) {
    return List.of();
  }

  /** What the appender needs created besides the tables: PostgreSQL's append function. */
  List<String> appenderDdl(TableNames tables) {
    return List.of();
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

  /** {@code INTO table (columns) VALUES (values)}. */
  private static String into(String table, List<String> columns, String values) {
    return "INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + values + ")";
  }

  /** {@code column = value} for every column but the key, the value after {@code format}. */
  private static String assignments(List<String> columns, String key, String format) {
    return columns.stream()
        .filter(column -> !column.equals(key))
        .map(column -> column + " = " + String.format(Locale.ROOT, format, column))
        .collect(Collectors.joining(", "));
  }

  /**
   * The column types that differ between the databases; the others ({@code BIGINT}, {@code INT},
   * {@code VARCHAR(200)}) are the same everywhere.
   *
   * @param uuid an event id
   * @param json event and snapshot data, of any size
   * @param metadata event metadata (TEXT on MariaDB: at most 64 KiB)
   * @param timestamp an instant
   */
  record ColumnTypes(String uuid, String json, String metadata, String timestamp) {}
}
