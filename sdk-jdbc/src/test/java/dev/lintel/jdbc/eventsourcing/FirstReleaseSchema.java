package dev.lintel.jdbc.eventsourcing;

import java.util.ArrayList;
import java.util.List;

/**
 * The DDL of the first release, which recorded no schema version, copied verbatim: the schema that
 * {@code Schema.VERSION} 1 must keep creating, and the tables an upgrade finds. The PostgreSQL
 * append function is taken from the current code, which kept it unchanged.
 */
final class FirstReleaseSchema {
  private FirstReleaseSchema() {}

  static List<String> ddl(JdbcDialect dialect, TableNames tables) {
    List<String> ddl = new ArrayList<>();
    for (String statement : statements(dialect)) {
      ddl.add(
          statement
              .replace("{events}", tables.events())
              .replace("{streams}", tables.streams())
              .replace("{positions}", tables.positions())
              .replace("{snapshots}", tables.snapshots())
              .replace("{checkpoints}", tables.checkpoints()));
    }
    if (dialect == JdbcDialect.POSTGRES) {
      ddl.add(FunctionAppender.createFunction(tables));
    }
    return ddl;
  }

  private static List<String> statements(JdbcDialect dialect) {
    return switch (dialect) {
      case POSTGRES ->
          List.of(
              "CREATE TABLE IF NOT EXISTS {events} (position BIGINT PRIMARY KEY, stream_id"
                  + " VARCHAR(200) NOT NULL, version BIGINT NOT NULL, event_id UUID NOT NULL,"
                  + " event_type VARCHAR(200) NOT NULL, data JSONB NOT NULL, metadata JSONB NOT"
                  + " NULL, created_at TIMESTAMPTZ NOT NULL, UNIQUE (stream_id, version), UNIQUE"
                  + " (event_id))",
              "CREATE TABLE IF NOT EXISTS {streams} (stream_id VARCHAR(200) PRIMARY KEY, version"
                  + " BIGINT NOT NULL)",
              "CREATE TABLE IF NOT EXISTS {positions} (id INT PRIMARY KEY, last_position BIGINT"
                  + " NOT NULL)",
              "INSERT INTO {positions} (id, last_position) VALUES (1, 0) ON CONFLICT DO NOTHING",
              "CREATE TABLE IF NOT EXISTS {snapshots} (stream_id VARCHAR(200) PRIMARY KEY, version"
                  + " BIGINT NOT NULL, snapshot_type VARCHAR(200) NOT NULL, data JSONB NOT NULL,"
                  + " created_at TIMESTAMPTZ NOT NULL)",
              "CREATE TABLE IF NOT EXISTS {checkpoints} (name VARCHAR(200) PRIMARY KEY, position"
                  + " BIGINT NOT NULL)");
      case MARIADB ->
          List.of(
              "CREATE TABLE IF NOT EXISTS {events} (position BIGINT PRIMARY KEY, stream_id"
                  + " VARCHAR(200) NOT NULL, version BIGINT NOT NULL, event_id CHAR(36) NOT NULL,"
                  + " event_type VARCHAR(200) NOT NULL, data LONGTEXT NOT NULL, metadata TEXT NOT"
                  + " NULL, created_at DATETIME(6) NOT NULL, UNIQUE KEY (stream_id, version),"
                  + " UNIQUE KEY (event_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
                  + " COLLATE=utf8mb4_bin",
              "CREATE TABLE IF NOT EXISTS {streams} (stream_id VARCHAR(200) PRIMARY KEY, version"
                  + " BIGINT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
              "CREATE TABLE IF NOT EXISTS {positions} (id INT PRIMARY KEY, last_position BIGINT"
                  + " NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
              "INSERT IGNORE INTO {positions} (id, last_position) VALUES (1, 0)",
              "CREATE TABLE IF NOT EXISTS {snapshots} (stream_id VARCHAR(200) PRIMARY KEY, version"
                  + " BIGINT NOT NULL, snapshot_type VARCHAR(200) NOT NULL, data LONGTEXT NOT"
                  + " NULL, created_at DATETIME(6) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
                  + " COLLATE=utf8mb4_bin",
              "CREATE TABLE IF NOT EXISTS {checkpoints} (name VARCHAR(200) PRIMARY KEY, position"
                  + " BIGINT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
      case H2 ->
          List.of(
              "CREATE TABLE IF NOT EXISTS {events} (position BIGINT PRIMARY KEY, stream_id"
                  + " VARCHAR(200) NOT NULL, version BIGINT NOT NULL, event_id UUID NOT NULL,"
                  + " event_type VARCHAR(200) NOT NULL, data CHARACTER LARGE OBJECT NOT NULL,"
                  + " metadata CHARACTER LARGE OBJECT NOT NULL, created_at TIMESTAMP WITH TIME"
                  + " ZONE NOT NULL, UNIQUE (stream_id, version), UNIQUE (event_id))",
              "CREATE TABLE IF NOT EXISTS {streams} (stream_id VARCHAR(200) PRIMARY KEY, version"
                  + " BIGINT NOT NULL)",
              "CREATE TABLE IF NOT EXISTS {positions} (id INT PRIMARY KEY, last_position BIGINT"
                  + " NOT NULL)",
              "MERGE INTO {positions} (id, last_position) KEY (id) VALUES (1, 0)",
              "CREATE TABLE IF NOT EXISTS {snapshots} (stream_id VARCHAR(200) PRIMARY KEY, version"
                  + " BIGINT NOT NULL, snapshot_type VARCHAR(200) NOT NULL, data CHARACTER LARGE"
                  + " OBJECT NOT NULL, created_at TIMESTAMP WITH TIME ZONE NOT NULL)",
              "CREATE TABLE IF NOT EXISTS {checkpoints} (name VARCHAR(200) PRIMARY KEY, position"
                  + " BIGINT NOT NULL)");
    };
  }
}
