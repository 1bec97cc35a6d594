package dev.lintel.jdbc.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.core.pipeline.Pipeline;
import dev.lintel.jdbc.eventsourcing.JdbcCheckpointStore;
import dev.lintel.jdbc.eventsourcing.JdbcDialect;
import dev.lintel.jdbc.eventsourcing.JdbcEventStore;
import dev.lintel.jdbc.eventsourcing.JdbcStores;
import dev.lintel.pipeline.PipelineException;
import dev.lintel.pipeline.PipelineProgress;
import dev.lintel.pipeline.PipelineState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exactly-once effects of a checkpointed JDBC sink on a real database: a pipeline killed again and
 * again at random moments (cancelled mid-batch, or failing inside a sink transaction) and started
 * again writes every row exactly once. The rows go in with a plain {@code INSERT} on a primary key,
 * so a batch written twice would fail the run with a key violation, which the proof watches for.
 */
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
abstract class CheckpointedSinkProof {
  private static final int ROWS = 3_000;
  private static final int MAX_RUNS = 300;
  private static final int SURE_FAILURES = 5; // the first runs each fail on a row not yet written

  private final String prefix = JdbcStores.freshPrefix();
  private JdbcCheckpointStore checkpoints;
  private volatile int failAt = -1;

  record Row(int id, int value) {}

  abstract JdbcDialect dialect();

  abstract DataSource dataSource();

  @BeforeEach
  void createTables() throws SQLException {
    JdbcEventStore store = JdbcStores.create(dialect(), dataSource(), prefix);
    checkpoints = JdbcCheckpointStore.sharing(dataSource(), store);
    execute("CREATE TABLE " + prefix + "rows_in (id INT PRIMARY KEY, val INT NOT NULL)");
  }

  @AfterEach
  void dropTables() throws SQLException {
    execute("DROP TABLE IF EXISTS " + prefix + "rows_in");
    JdbcStores.dropTables(dataSource(), prefix);
  }

  @Test
  void aPipelineKilledAtRandomMomentsWritesEveryRowExactlyOnce() throws Exception {
    List<Row> rows = IntStream.range(0, ROWS).mapToObj(n -> new Row(n, n * 7)).toList();
    List<Throwable> unexpected = new ArrayList<>();
    int runs = 0;
    boolean completed = false;
    while (!completed && runs < MAX_RUNS) {
      runs++;
      ThreadLocalRandom random = ThreadLocalRandom.current();
      int done = (int) checkpoints.load("import");
      boolean dies = runs <= SURE_FAILURES || random.nextInt(4) == 0; // a transaction that dies
      failAt = dies && done < ROWS ? done + random.nextInt(ROWS - done) : -1; // on a row to come
      Pipeline pipeline = pipeline(rows);
      pipeline.start();
      if (random.nextBoolean()) {
        Thread.sleep(random.nextInt(30));
        pipeline.cancel(); // a kill: in-flight batches abandoned, maybe mid-transaction
      }
      try {
        PipelineProgress result = pipeline.awaitCompletion();
        completed = result.state() == PipelineState.COMPLETED;
      } catch (PipelineException e) {
        if (!String.valueOf(e.getMessage()).contains("injected")) {
          unexpected.add(e);
        }
      }
    }

    assertThat(unexpected).as("failures other than the injected ones (a duplicate?)").isEmpty();
    assertThat(completed).as("a run completed within %d runs", MAX_RUNS).isTrue();
    assertThat(runs).isGreaterThan(SURE_FAILURES);
    assertThat(count("SELECT COUNT(*) FROM " + prefix + "rows_in")).isEqualTo(ROWS);
    assertThat(count("SELECT COUNT(*) FROM " + prefix + "rows_in WHERE val = id * 7"))
        .isEqualTo(ROWS);
    assertThat(checkpoints.load("import")).isEqualTo(ROWS);
  }

  @Test
  void aFinishedPipelineStartedAgainReadsNothing() throws Exception {
    List<Row> rows = IntStream.range(0, 500).mapToObj(n -> new Row(n, n * 7)).toList();
    assertThat(pipeline(rows).run().processed()).isEqualTo(500);

    PipelineProgress again = pipeline(rows).run();

    assertThat(again.read()).isZero();
    assertThat(count("SELECT COUNT(*) FROM " + prefix + "rows_in")).isEqualTo(500);
  }

  private Pipeline pipeline(List<Row> rows) {
    JdbcBatchSink<Row> sink =
        JdbcBatchSink.using(
            dataSource(),
            "INSERT INTO " + prefix + "rows_in (id, val) VALUES (?, ?)",
            (statement, row) -> {
              if (row.id() == failAt) {
                throw new IllegalStateException("injected failure at row " + row.id());
              }
              statement.setInt(1, row.id());
              statement.setInt(2, row.value());
            });
    return Pipeline.from(rows)
        .mapAsync(
            8,
            row -> {
              if (row.id() % 97 == 0) {
                Thread.sleep(1); // some items overtake others inside the stage
              }
              return row;
            })
        .ordered()
        .batch(50, Duration.ofMillis(20))
        .to(sink.checkpointedIn(checkpoints, "import"))
        .name("import-" + prefix)
        .progressInterval(Duration.ZERO)
        .build();
  }

  private void execute(String sql) throws SQLException {
    try (Connection connection = dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private int count(String sql) throws SQLException {
    try (Connection connection = dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getInt(1);
    }
  }
}
