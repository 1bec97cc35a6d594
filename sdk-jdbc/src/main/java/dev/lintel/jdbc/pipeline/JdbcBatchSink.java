package dev.lintel.jdbc.pipeline;

import dev.lintel.LintelException;
import dev.lintel.jdbc.eventsourcing.JdbcCheckpointStore;
import dev.lintel.pipeline.CheckpointedSink;
import dev.lintel.pipeline.Sink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A sink for a batching stage's lists: each list is written with one JDBC batch of one prepared
 * statement ({@code INSERT}, or an upsert for idempotent redelivery) in one transaction, so a batch
 * is written whole or not at all and the stage's error policy sees the failure. The SQL is the
 * host's, with {@code ?} parameters only: nothing is concatenated into it.
 *
 * <pre>{@code
 * .batch(100, Duration.ofMillis(200))
 * .to(JdbcBatchSink.using(dataSource, "INSERT INTO orders (id, total) VALUES (?, ?)",
 *     (statement, row) -> { statement.setString(1, row.id()); statement.setLong(2, row.total()); }))
 * }</pre>
 *
 * <p>Thread-safe: each call borrows its own connection from the data source.
 *
 * @param <T> the item type
 */
public final class JdbcBatchSink<T> implements Sink<List<T>> {
  private final DataSource dataSource;
  private final String sql;
  private final RowBinder<? super T> binder;

  private JdbcBatchSink(DataSource dataSource, String sql, RowBinder<? super T> binder) {
    this.dataSource = dataSource;
    this.sql = sql;
    this.binder = binder;
  }

  /**
   * Creates the sink around a data source the host owns.
   *
   * @param dataSource where connections come from
   * @param sql the statement, with {@code ?} parameters
   * @param binder binds one item to the parameters
   * @param <T> the item type
   * @return the sink
   * @throws IllegalArgumentException if the SQL is blank
   */
  public static <T> JdbcBatchSink<T> using(
      DataSource dataSource, String sql, RowBinder<? super T> binder) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(sql, "sql");
    Objects.requireNonNull(binder, "binder");
    if (sql.isBlank()) {
      throw new IllegalArgumentException("sql must not be blank");
    }
    return new JdbcBatchSink<>(dataSource, sql, binder);
  }

  /**
   * Makes this sink store the pipeline's source position in the same transaction as each batch,
   * under {@code name} in a checkpoint store of the same database, for exactly-once effects: use it
   * with {@code Flow.to(CheckpointedSink)}. A pipeline killed at any point and started again
   * resumes after the last batch that committed, so every item is written once.
   *
   * @param checkpoints a checkpoint store in the database this sink's data source reaches
   * @param name the key the position is kept under; not the pipeline's own checkpoint name when the
   *     pipeline also has {@code checkpoints(store)}
   * @return the checkpointed sink
   * @throws IllegalArgumentException if the name is blank
   */
  public CheckpointedSink<List<T>> checkpointedIn(JdbcCheckpointStore checkpoints, String name) {
    Objects.requireNonNull(checkpoints, "checkpoints");
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("checkpoint name must not be blank");
    }
    return new CheckpointedSink<>() {
      @Override
      public long storedPosition() {
        return checkpoints.load(name);
      }

      @Override
      public void accept(List<T> batch, long position) {
        write(batch, connection -> checkpoints.save(connection, name, position));
      }
    };
  }

  /**
   * Writes the batch in one transaction.
   *
   * @param batch the items
   * @throws LintelException naming the statement and the batch size, with the {@link SQLException}
   *     as the cause, when the batch is not written (it was rolled back)
   */
  @Override
  public void accept(List<T> batch) {
    if (!batch.isEmpty()) {
      write(batch, connection -> {});
    }
  }

  /** Writes the batch and whatever {@code alsoInTransaction} writes, then commits both. */
  private void write(List<T> batch, ConnectionWork alsoInTransaction) {
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        for (T item : batch) {
          binder.bind(statement, item);
          statement.addBatch();
        }
        statement.executeBatch();
        alsoInTransaction.run(connection);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        rollback(connection, e);
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new LintelException(
          "batch of " + batch.size() + " row(s) not written by '" + sql + "': " + e.getMessage(),
          e);
    }
  }

  @FunctionalInterface
  private interface ConnectionWork {
    void run(Connection connection) throws SQLException;
  }

  private static void rollback(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
