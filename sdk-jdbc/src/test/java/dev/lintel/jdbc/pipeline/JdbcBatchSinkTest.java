package dev.lintel.jdbc.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.LintelException;
import dev.lintel.core.pipeline.Pipeline;
import dev.lintel.pipeline.DeadLetter;
import dev.lintel.pipeline.ErrorPolicy;
import dev.lintel.pipeline.PipelineProgress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 2, unit = java.util.concurrent.TimeUnit.MINUTES)
class JdbcBatchSinkTest {
  record Row(int id, String name) {}

  private final JdbcConnectionPool dataSource =
      JdbcConnectionPool.create(
          "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");

  JdbcBatchSinkTest() throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE rows_in (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL)");
    }
  }

  @AfterEach
  void close() {
    dataSource.dispose();
  }

  private JdbcBatchSink<Row> sink() {
    return JdbcBatchSink.using(
        dataSource,
        "INSERT INTO rows_in (id, name) VALUES (?, ?)",
        (statement, row) -> {
          statement.setInt(1, row.id());
          statement.setString(2, row.name());
        });
  }

  private int count() throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM rows_in")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  @Test
  void aPipelineWritesEveryBatchInOneTransaction() throws Exception {
    PipelineProgress result =
        Pipeline.from(IntStream.range(0, 2_345).mapToObj(n -> new Row(n, "row-" + n)).toList())
            .batch(100, Duration.ofMillis(50))
            .to(2, sink())
            .progressInterval(Duration.ZERO)
            .build()
            .run();

    assertThat(result.processed()).isEqualTo(2_345);
    assertThat(count()).isEqualTo(2_345);
  }

  @Test
  void aFailingBatchIsRolledBackWholeAndDeadLetteredWithItsRows() throws Exception {
    List<DeadLetter> letters = Collections.synchronizedList(new ArrayList<>());
    List<Row> rows = new ArrayList<>();
    IntStream.range(0, 300).forEach(n -> rows.add(new Row(n, "row-" + n)));
    rows.set(150, new Row(149, "duplicate key")); // makes the batch 100..199 fail

    PipelineProgress result =
        Pipeline.from(rows)
            .batch(100, Duration.ofSeconds(5))
            .to(sink())
            .onError(ErrorPolicy.deadLetter(letters::add))
            .progressInterval(Duration.ZERO)
            .build()
            .run();

    assertThat(count()).isEqualTo(200); // the failed batch left no row behind
    assertThat(result.processed()).isEqualTo(200);
    assertThat(result.deadLettered()).isEqualTo(100);
    assertThat(letters).hasSize(1);
    assertThat(letters.get(0).error())
        .isInstanceOf(LintelException.class)
        .hasMessageStartingWith(
            "batch of 100 row(s) not written by 'INSERT INTO rows_in (id, name) VALUES (?, ?)'");
  }

  @Test
  void deadLettersGoToATableWithTheirErrorAndItem() throws Exception {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE pipeline_dead_letters (pipeline VARCHAR(200) NOT NULL, stage VARCHAR(200)"
              + " NOT NULL, item_key VARCHAR(2000) NOT NULL, attempts INT NOT NULL, failed_at"
              + " TIMESTAMP NOT NULL, error VARCHAR(4000) NOT NULL, item VARCHAR(10000) NOT NULL)");
    }
    JdbcDeadLetterTable table = JdbcDeadLetterTable.using(dataSource, "pipeline_dead_letters");

    PipelineProgress result =
        Pipeline.from(IntStream.range(0, 20).mapToObj(n -> new Row(n, "row-" + n)).toList())
            .keyedBy(row -> "row-" + row.id())
            .map(
                row -> {
                  if (row.id() % 7 == 3) {
                    throw new IllegalArgumentException("bad row " + row.id());
                  }
                  return row;
                })
            .named("validate")
            .onError(ErrorPolicy.deadLetter(table).withRetries(2, Duration.ZERO))
            .to(row -> {})
            .name("rows")
            .progressInterval(Duration.ZERO)
            .build()
            .run();

    assertThat(result.deadLettered()).isEqualTo(3);
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT pipeline, stage, item_key, attempts, error, item FROM pipeline_dead_letters"
                    + " ORDER BY item_key")) {
      List<String> found = new ArrayList<>();
      while (rows.next()) {
        found.add(
            String.join(
                "|",
                rows.getString(1),
                rows.getString(2),
                rows.getString(3),
                rows.getString(4),
                rows.getString(5),
                rows.getString(6)));
      }
      assertThat(found)
          .containsExactly(
              "rows|validate|row-10|2|java.lang.IllegalArgumentException: bad row 10|{\"id\":10,\"name\":\"row-10\"}",
              "rows|validate|row-17|2|java.lang.IllegalArgumentException: bad row 17|{\"id\":17,\"name\":\"row-17\"}",
              "rows|validate|row-3|2|java.lang.IllegalArgumentException: bad row 3|{\"id\":3,\"name\":\"row-3\"}");
    }
    assertThatThrownBy(() -> JdbcDeadLetterTable.using(dataSource, "letters; DROP TABLE x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("table must be a plain SQL identifier");
  }

  @Test
  void blankSqlIsRefused() {
    assertThatThrownBy(() -> JdbcBatchSink.using(dataSource, " ", (statement, row) -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sql must not be blank");
  }
}
