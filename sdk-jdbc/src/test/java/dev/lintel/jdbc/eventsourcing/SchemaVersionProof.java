package dev.lintel.jdbc.eventsourcing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.lintel.eventsourcing.AppendResult;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.testing.ContractEvents.Deposited;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The schema version on a real database: {@code createSchema()} records it, tables of the first
 * release (which recorded none) are used as they are and stamped, and tables of a newer release are
 * refused with an exception naming their version before anything is read or written.
 */
abstract class SchemaVersionProof {
  private final String prefix = JdbcStores.freshPrefix();
  private final String firstReleasePrefix = JdbcStores.freshPrefix();
  private final TableNames tables = new TableNames(prefix);

  abstract JdbcDialect dialect();

  abstract DataSource dataSource();

  @AfterEach
  void dropTables() {
    JdbcStores.dropTables(dataSource(), prefix);
    JdbcStores.dropTables(dataSource(), firstReleasePrefix);
  }

  private JdbcEventStore store() {
    return JdbcStores.builder(dialect(), dataSource())
        .serializer(JdbcStores.contractSerializer())
        .tablePrefix(prefix)
        .build();
  }

  private static List<NewEvent> deposits(int count) {
    List<NewEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(NewEvent.of(new Deposited("acct", i + 1)));
    }
    return events;
  }

  @Test
  void createSchemaRecordsTheVersionItCreatedOnce() throws SQLException {
    store().createSchema();
    store().createSchema();

    assertThat(recordedVersions()).containsExactly(2);
  }

  @Test
  void tablesOfTheFirstReleaseAreRefusedUntilCreateSchemaMigratesThemKeepingTheirRows()
      throws SQLException {
    execute(FirstReleaseSchema.ddl(dialect(), tables));
    UUID legacyId = UUID.randomUUID();
    insertFirstReleaseEvent("legacy", legacyId);
    JdbcEventStore store = store();

    assertThatThrownBy(() -> store.append("a", ExpectedVersion.noStream(), deposits(2)))
        .isInstanceOfSatisfying(
            SchemaVersionException.class,
            e -> {
              assertThat(e.recordedVersion()).isZero();
              assertThat(e.supportedVersion()).isEqualTo(2);
            })
        .hasMessageContaining("record no schema version")
        .hasMessageContaining("call createSchema() once");
    assertThatThrownBy(() -> store.readAll(1, 10)).isInstanceOf(SchemaVersionException.class);

    store.createSchema();

    assertThat(recordedVersions()).containsExactly(2);
    assertThat(
            store.append(
                "legacy",
                ExpectedVersion.noStream(),
                List.of(new NewEvent(legacyId, new Deposited("acct", 7), Map.of()))))
        .as("a retry of an event the first release wrote is still recognized")
        .isEqualTo(new AppendResult("legacy", 1, 1, 1));
    assertThat(store.append("b", ExpectedVersion.noStream(), deposits(1)).firstPosition())
        .isEqualTo(2);
    assertThat(store.readAll(1, 10))
        .extracting(RecordedEvent::stream, RecordedEvent::position)
        .containsExactly(tuple("legacy", 1L), tuple("b", 2L));
  }

  /** A row as the first release wrote it: no place in its append recorded. */
  private void insertFirstReleaseEvent(String stream, UUID id) throws SQLException {
    execute(
        List.of(
            "INSERT INTO "
                + tables.events()
                + " (position, stream_id, version, event_id, event_type, data, metadata,"
                + " created_at) VALUES (1, '"
                + stream
                + "', 1, '"
                + id
                + "', 'deposited', '{\"account\":\"acct\",\"amount\":7}', '{}',"
                + " CURRENT_TIMESTAMP)",
            "INSERT INTO "
                + tables.streams()
                + " (stream_id, version) VALUES ('"
                + stream
                + "', 1)",
            "UPDATE " + tables.positions() + " SET last_position = 1 WHERE id = 1"));
  }

  /**
   * The version is read inside the caller's transaction; on tables without a version table that
   * read fails, which on PostgreSQL would abort the whole transaction without a savepoint.
   */
  @Test
  void aRefusedAppendInACallersTransactionOnTablesOfTheFirstReleaseLeavesTheTransactionUsable()
      throws SQLException {
    execute(FirstReleaseSchema.ddl(dialect(), tables));
    JdbcEventStore store = store();

    try (Connection connection = dataSource().getConnection()) {
      connection.setAutoCommit(false);
      assertThatThrownBy(
              () -> store.append(connection, "a", ExpectedVersion.noStream(), deposits(1)))
          .isInstanceOf(SchemaVersionException.class);
      try (Statement statement = connection.createStatement()) {
        statement.executeUpdate(
            "INSERT INTO " + tables.checkpoints() + " (name, position) VALUES ('mine', 1)");
      }
      connection.commit();
    }

    assertThat(count(tables.events())).isZero();
    assertThat(count(tables.checkpoints())).isEqualTo(1);
  }

  @Test
  void tablesOfANewerReleaseAreRefusedNamingTheirVersionAndNothingIsWritten() throws SQLException {
    store().createSchema().append("a", ExpectedVersion.noStream(), deposits(1));
    execute(List.of("INSERT INTO " + tables.schemaVersion() + " (version) VALUES (3)"));

    JdbcEventStore store = store();

    assertThatThrownBy(() -> store.append("b", ExpectedVersion.any(), deposits(1)))
        .isInstanceOfSatisfying(
            SchemaVersionException.class,
            e -> {
              assertThat(e.recordedVersion()).isEqualTo(3);
              assertThat(e.supportedVersion()).isEqualTo(2);
            })
        .hasMessageContaining("at schema version 3")
        .hasMessageContaining(tables.schemaVersion());
    assertThatThrownBy(() -> store.readAll(1, 10)).isInstanceOf(SchemaVersionException.class);
    assertThatThrownBy(store::lastPosition).isInstanceOf(SchemaVersionException.class);
    assertThatThrownBy(store::createSchema).isInstanceOf(SchemaVersionException.class);
    assertThatThrownBy(() -> JdbcCheckpointStore.sharing(dataSource(), store).save("p", 1))
        .isInstanceOf(SchemaVersionException.class);
    assertThatThrownBy(
            () ->
                JdbcSnapshotStore.sharing(dataSource(), store, JdbcStores.contractSerializer())
                    .latest("a"))
        .isInstanceOf(SchemaVersionException.class);
    assertThat(count(tables.events())).isEqualTo(1);
    assertThat(count(tables.checkpoints())).isZero();
    assertThat(recordedVersions()).containsExactly(2, 3);
  }

  @Test
  void aCallersTransactionSurvivesARefusedAppend() throws SQLException {
    store().createSchema();
    execute(List.of("INSERT INTO " + tables.schemaVersion() + " (version) VALUES (3)"));
    JdbcEventStore store = store();

    try (Connection connection = dataSource().getConnection()) {
      connection.setAutoCommit(false);
      assertThatThrownBy(
              () -> store.append(connection, "a", ExpectedVersion.noStream(), deposits(1)))
          .isInstanceOf(SchemaVersionException.class);
      try (Statement statement = connection.createStatement()) {
        statement.executeUpdate(
            "INSERT INTO " + tables.checkpoints() + " (name, position) VALUES ('mine', 1)");
      }
      connection.commit();
    }

    assertThat(count(tables.checkpoints())).isEqualTo(1);
    assertThat(count(tables.events())).isZero();
  }

  /**
   * Tables that version 1 recorded (the release before this one) are migrated once by {@code
   * createSchema()}: afterwards stream ids that differ only by a trailing space are two streams on
   * every database (before, MariaDB's padding collation made them one), and the rows are kept.
   */
  @Test
  void tablesOfVersionOneAreMigratedOnceAndStreamIdsThenCompareByteExactly() throws SQLException {
    execute(FirstReleaseSchema.ddl(dialect(), tables));
    execute(
        List.of(
            "CREATE TABLE " + tables.schemaVersion() + " (version INT PRIMARY KEY)",
            "INSERT INTO " + tables.schemaVersion() + " (version) VALUES (1)"));
    insertFirstReleaseEvent("tsp", UUID.randomUUID());
    JdbcEventStore store = store();

    store.createSchema();
    store.createSchema();

    assertThat(recordedVersions()).containsExactly(1, 2);
    assertThat(store.append("tsp ", ExpectedVersion.noStream(), deposits(1)).version())
        .isEqualTo(1);
    assertThat(store.readStream("tsp", 1, 10)).hasSize(1);
    assertThat(store.readStream("tsp ", 1, 10))
        .singleElement()
        .satisfies(event -> assertThat(event.stream()).isEqualTo("tsp "));
    assertThat(JdbcEventStore.migration(dialect(), tables, 2)).hasSize(1); // only the stamp
  }

  /** Columns, their types and nullability, and unique keys, as the database reports them. */
  @Test
  void theTablesAreThoseOfTheFirstReleaseMigrated() throws SQLException {
    store().createSchema();
    TableNames firstRelease = new TableNames(firstReleasePrefix);
    execute(FirstReleaseSchema.ddl(dialect(), firstRelease));
    execute(JdbcEventStore.ddl(dialect(), firstRelease));
    execute(JdbcEventStore.migration(dialect(), firstRelease, 0));

    try (Connection connection = dataSource().getConnection()) {
      for (String table : List.of("events", "streams", "positions", "snapshots", "checkpoints")) {
        assertThat(describe(connection, prefix + table))
            .as(table)
            .isNotEmpty()
            .isEqualTo(describe(connection, firstReleasePrefix + table));
      }
    }
  }

  private static List<String> describe(Connection connection, String table) throws SQLException {
    DatabaseMetaData meta = connection.getMetaData();
    String name = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
    List<String> description = new ArrayList<>();
    try (ResultSet columns =
        meta.getColumns(connection.getCatalog(), connection.getSchema(), name, null)) {
      while (columns.next()) {
        description.add(
            columns.getInt("ORDINAL_POSITION")
                + " "
                + columns.getString("COLUMN_NAME")
                + " "
                + columns.getString("TYPE_NAME")
                + "("
                + columns.getInt("COLUMN_SIZE")
                + ") nullable="
                + columns.getString("IS_NULLABLE"));
      }
    }
    Map<String, Map<Integer, String>> uniqueKeys = new TreeMap<>();
    try (ResultSet keys =
        meta.getIndexInfo(connection.getCatalog(), connection.getSchema(), name, true, false)) {
      while (keys.next()) {
        if (keys.getString("COLUMN_NAME") != null) {
          uniqueKeys
              .computeIfAbsent(keys.getString("INDEX_NAME"), key -> new TreeMap<>())
              .put(keys.getInt("ORDINAL_POSITION"), keys.getString("COLUMN_NAME"));
        }
      }
    }
    uniqueKeys.values().stream()
        .map(columns -> "unique " + columns.values())
        .sorted()
        .forEach(description::add);
    return description;
  }

  private List<Integer> recordedVersions() throws SQLException {
    List<Integer> versions = new ArrayList<>();
    try (Connection connection = dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT version FROM " + tables.schemaVersion() + " ORDER BY version")) {
      while (rows.next()) {
        versions.add(rows.getInt(1));
      }
    }
    return versions;
  }

  private long count(String table) throws SQLException {
    try (Connection connection = dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
      row.next();
      return row.getLong(1);
    }
  }

  private void execute(List<String> statements) throws SQLException {
    try (Connection connection = dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }
}
