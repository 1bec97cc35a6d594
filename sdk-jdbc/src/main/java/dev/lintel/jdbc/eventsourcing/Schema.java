package dev.lintel.jdbc.eventsourcing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The tables of the JDBC stores, described once and rendered for each {@link JdbcDialect}, and the
 * schema version this release creates.
 *
 * <p>To change the schema in a later release: raise {@link #VERSION}, describe the new shape here,
 * and add the statements that bring a database at the previous version up to it; {@code
 * createSchema()} records each version it reaches in the {@code schema_version} table.
 */
final class Schema {
  /**
   * The schema version this release creates and can use. Version 1 is the schema of the first
   * release, which recorded no version; a database without a {@code schema_version} table has it.
   * Version 2: on MariaDB every text column compares byte-exactly ({@code utf8mb4_nopad_bin}; the
   * padding {@code utf8mb4_bin} made {@code "a"} and {@code "a "} one stream); on every database
   * each event records its place in the append that wrote it ({@code append_index}, {@code
   * append_size}; null in rows written before), so that a retry is recognized only when it is a
   * whole stored append.
   */
  static final int VERSION = 2;

  private static final Table EVENTS =
      new Table(
          TableNames::events,
          List.of(
              new Column("position", Type.BIGINT),
              new Column("stream_id", Type.NAME),
              new Column("version", Type.BIGINT),
              new Column("event_id", Type.UUID),
              new Column("event_type", Type.NAME),
              new Column("data", Type.JSON),
              new Column("metadata", Type.METADATA),
              new Column("created_at", Type.TIMESTAMP),
              Column.nullable("append_index", Type.INT),
              Column.nullable("append_size", Type.INT)),
          List.of(List.of("stream_id", "version"), List.of("event_id")));

  private static final Table STREAMS =
      new Table(
          TableNames::streams,
          List.of(new Column("stream_id", Type.NAME), new Column("version", Type.BIGINT)),
          List.of());

  private static final Table POSITIONS =
      new Table(
          TableNames::positions,
          List.of(new Column("id", Type.INT), new Column("last_position", Type.BIGINT)),
          List.of());

  private static final Table SNAPSHOTS =
      new Table(
          TableNames::snapshots,
          List.of(
              new Column("stream_id", Type.NAME),
              new Column("version", Type.BIGINT),
              new Column("snapshot_type", Type.NAME),
              new Column("data", Type.JSON),
              new Column("created_at", Type.TIMESTAMP)),
          List.of());

  private static final Table CHECKPOINTS =
      new Table(
          TableNames::checkpoints,
          List.of(new Column("name", Type.NAME), new Column("position", Type.BIGINT)),
          List.of());

  /** One row per schema version created or migrated to; the highest is the current one. */
  private static final Table SCHEMA_VERSION =
      new Table(TableNames::schemaVersion, List.of(new Column("version", Type.INT)), List.of());

  private Schema() {}

  /**
   * Gives the statements that create the schema, idempotently: each can run again on tables in use
   * without changing their rows. The last records {@link #VERSION}.
   *
   * @param dialect the database
   * @param tables the table names
   * @return the statements, in order
   */
  static List<String> ddl(JdbcDialect dialect, TableNames tables) {
    List<String> ddl = new ArrayList<>(create(dialect, tables));
    ddl.add(stamp(dialect, tables));
    return ddl;
  }

  /** The statements that create what is missing, without recording a version. */
  static List<String> create(JdbcDialect dialect, TableNames tables) {
    List<String> ddl = new ArrayList<>();
    ddl.add(EVENTS.create(dialect, tables));
    ddl.add(STREAMS.create(dialect, tables));
    ddl.add(POSITIONS.create(dialect, tables));
    ddl.add(
        dialect.insertIfAbsent(tables.positions(), "id", List.of("id", "last_position"), "1, 0"));
    ddl.add(SNAPSHOTS.create(dialect, tables));
    ddl.add(CHECKPOINTS.create(dialect, tables));
    ddl.addAll(dialect.appenderDdl(tables));
    ddl.add(SCHEMA_VERSION.create(dialect, tables));
    return ddl;
  }

  /** The statement that records {@link #VERSION}, if it is not recorded yet. */
  static String stamp(JdbcDialect dialect, TableNames tables) {
    return dialect.insertIfAbsent(
        tables.schemaVersion(), "version", List.of("version"), Integer.toString(VERSION));
  }

  /**
   * Gives the statements that bring tables at a schema version up to {@link #VERSION}, the last
   * recording it. Run them once, after {@link #create} (which adds what an older release lacked).
   *
   * @param dialect the database
   * @param tables the table names
   * @param from the recorded version; 0 or 1 for tables of the first release
   * @return the statements, in order
   */
  static List<String> migration(JdbcDialect dialect, TableNames tables, int from) {
    List<String> statements = new ArrayList<>();
    if (from < 2) {
      statements.addAll(dialect.migrationToVersion2(tables));
      for (String column : List.of("append_index", "append_size")) {
        statements.add(
            "ALTER TABLE " + tables.events() + " ADD COLUMN IF NOT EXISTS " + column + " INT");
      }
    }
    statements.add(stamp(dialect, tables));
    return statements;
  }

  /** A column's logical type; {@link JdbcDialect.ColumnTypes} names those that differ. */
  private enum Type {
    INT,
    BIGINT,
    /** A stream id, a type name, a checkpoint name: at most 200 characters. */
    NAME,
    UUID,
    JSON,
    METADATA,
    TIMESTAMP;

    String sql(JdbcDialect.ColumnTypes types) {
      return switch (this) {
        case INT -> "INT";
        case BIGINT -> "BIGINT";
        case NAME -> "VARCHAR(200)";
        case UUID -> types.uuid();
        case JSON -> types.json();
        case METADATA -> types.metadata();
        case TIMESTAMP -> types.timestamp();
      };
    }
  }

  /**
   * A column; {@code NOT NULL} unless nullable (columns added by a migration, which rows written
   * before it do not fill).
   */
  private record Column(String name, Type type, boolean isNullable) {
    Column(String name, Type type) {
      this(name, type, false);
    }

    static Column nullable(String name, Type type) {
      return new Column(name, type, true);
    }
  }

  /**
   * A table: its first column is the primary key, every other column is {@code NOT NULL}.
   *
   * @param name its name among the table names
   * @param columns its columns, the primary key first
   * @param uniqueKeys the column lists that are unique besides the primary key
   */
  private record Table(
      Function<TableNames, String> name, List<Column> columns, List<List<String>> uniqueKeys) {

    String create(JdbcDialect dialect, TableNames tables) {
      List<String> parts = new ArrayList<>();
      for (Column column : columns) {
        parts.add(
            column.name()
                + " "
                + column.type().sql(dialect.columnTypes())
                + (parts.isEmpty() ? " PRIMARY KEY" : column.isNullable() ? "" : " NOT NULL"));
      }
      for (List<String> unique : uniqueKeys) {
        parts.add("UNIQUE (" + String.join(", ", unique) + ")");
      }
      return "CREATE TABLE IF NOT EXISTS "
          + name.apply(tables)
          + " ("
          + String.join(", ", parts)
          + ")"
          + dialect.tableOptions();
    }
  }
}
