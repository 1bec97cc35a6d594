package dev.lintel.jdbc.eventsourcing;

import java.util.ArrayList;
import java.util.List;

/**
 * The DDL of the first release, which recorded no schema version, copied verbatim: the schema that
 * {@code Schema.VERSION} 1 must keep creating, and the tables an upgrade finds, with the first
 * release's PostgreSQL append function.
 */
final class FirstReleaseSchema {
  /** The first release's append function, verbatim (locks the stream's row, then positions). */
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
      ddl.add(
          APPEND_FUNCTION
              .replace("{function}", tables.appendFunction())
              .replace("{streams}", tables.streams())
              .replace("{positions}", tables.positions())
              .replace("{events}", tables.events()));
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
