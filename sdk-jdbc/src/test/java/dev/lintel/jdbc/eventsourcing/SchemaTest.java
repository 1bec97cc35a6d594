package dev.lintel.jdbc.eventsourcing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The DDL rendered from the one schema description is schema version 1: the first release's tables,
 * statement for statement, then the version record. A change here that is not a new version would
 * give databases of one version two shapes.
 */
class SchemaTest {
  private final TableNames tables = new TableNames("billing.es_");

  @ParameterizedTest
  @EnumSource(JdbcDialect.class)
  void versionTwoCreatesTheFirstReleasesTablesWithAppendPlacesAndByteExactTextThenRecordsItself(
      JdbcDialect dialect) {
    List<String> expected = new ArrayList<>();
    for (String statement : FirstReleaseSchema.ddl(dialect, tables)) {
      if (statement.startsWith("CREATE OR REPLACE FUNCTION")) {
        continue; // the tables stay those of the first release; the functions are this release's
      }
      // MariaDB: UNIQUE is what UNIQUE KEY stands for (MariaDbSchemaVersionIT compares the tables),
      // and version 2 compares text byte-exactly, trailing spaces included.
      // Version 2 also records each event's place in its append.
      String current =
          dialect == JdbcDialect.MARIADB
              ? statement
                  .replace("UNIQUE KEY", "UNIQUE")
                  .replace("utf8mb4_bin", "utf8mb4_nopad_bin")
              : statement;
      expected.add(
          current.replace(
              " NOT NULL, UNIQUE (stream_id",
              " NOT NULL, append_index INT, append_size INT, UNIQUE (stream_id"));
    }
    if (dialect == JdbcDialect.H2) {
      // The first release's MERGE ... KEY (id) reset an existing counter to 0.
      expected.set(
          3,
          "MERGE INTO billing.es_positions t USING (VALUES (1, 0)) AS s (id, last_position)"
              + " ON t.id = s.id WHEN NOT MATCHED THEN INSERT (id, last_position)"
              + " VALUES (s.id, s.last_position)");
    }

    List<String> ddl = JdbcEventStore.ddl(dialect, tables);

    assertThat(ddl.subList(0, expected.size())).containsExactlyElementsOf(expected);
    List<String> functions =
        dialect == JdbcDialect.POSTGRES ? FunctionAppender.createFunctions(tables) : List.of();
    assertThat(ddl.subList(expected.size(), expected.size() + functions.size()))
        .containsExactlyElementsOf(functions);
    assertThat(ddl.subList(expected.size() + functions.size(), ddl.size()))
        .containsExactly(
            "CREATE TABLE IF NOT EXISTS billing.es_schema_version (version INT PRIMARY KEY)"
                + dialect.tableOptions(),
            switch (dialect) {
              case POSTGRES ->
                  "INSERT INTO billing.es_schema_version (version) VALUES (2)"
                      + " ON CONFLICT DO NOTHING";
              case MARIADB -> "INSERT IGNORE INTO billing.es_schema_version (version) VALUES (2)";
              case H2 ->
                  "MERGE INTO billing.es_schema_version t USING (VALUES (2)) AS s (version)"
                      + " ON t.version = s.version WHEN NOT MATCHED THEN INSERT (version)"
                      + " VALUES (s.version)";
            });
  }

  @Test
  void upsertsReplaceEveryColumnButTheKeyInEachDialectsSyntax() {
    List<String> columns = List.of("name", "position");

    assertThat(JdbcDialect.POSTGRES.upsert("es_checkpoints", "name", columns, "?, ?"))
        .isEqualTo(
            "INSERT INTO es_checkpoints (name, position) VALUES (?, ?)"
                + " ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position");
    assertThat(JdbcDialect.MARIADB.upsert("es_checkpoints", "name", columns, "?, ?"))
        .isEqualTo(
            "INSERT INTO es_checkpoints (name, position) VALUES (?, ?)"
                + " ON DUPLICATE KEY UPDATE position = VALUES(position)");
    assertThat(JdbcDialect.H2.upsert("es_checkpoints", "name", columns, "?, ?"))
        .isEqualTo("MERGE INTO es_checkpoints (name, position) KEY (name) VALUES (?, ?)");
  }
}
