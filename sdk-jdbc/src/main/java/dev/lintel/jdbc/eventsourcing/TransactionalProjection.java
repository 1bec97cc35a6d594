package dev.lintel.jdbc.eventsourcing;

import dev.lintel.core.eventsourcing.ProjectionRunner;
import dev.lintel.eventsourcing.Projection;
import dev.lintel.eventsourcing.RecordedEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Runs a {@link JdbcProjection} so that each event's read-model writes and the checkpoint commit in
 * one transaction: after a crash or a failure the projection resumes exactly after the last event
 * whose effects were committed, so nothing is applied twice or lost. Give the {@link
 * ProjectionRunner} the same checkpoint store.
 *
 * <pre>{@code
 * JdbcCheckpointStore checkpoints = JdbcCheckpointStore.sharing(dataSource, store);
 * ProjectionRunner runner = ProjectionRunner.builder(store, checkpoints,
 *     TransactionalProjection.of(dataSource, checkpoints, new BalancesProjection())).build();
 * }</pre>
 */
public final class TransactionalProjection implements Projection {
  private final DataSource dataSource;
  private final JdbcCheckpointStore checkpoints;
  private final JdbcProjection projection;

  private TransactionalProjection(
      DataSource dataSource, JdbcCheckpointStore checkpoints, JdbcProjection projection) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
    this.projection = Objects.requireNonNull(projection, "projection");
  }

  /**
   * Wraps a JDBC projection.
   *
   * @param dataSource the database of the read model and the checkpoints
   * @param checkpoints the checkpoint store, which must use that database
   * @param projection the projection
   * @return a projection for a {@link ProjectionRunner}
   */
  public static TransactionalProjection of(
      DataSource dataSource, JdbcCheckpointStore checkpoints, JdbcProjection projection) {
    return new TransactionalProjection(dataSource, checkpoints, projection);
  }

  @Override
  public String name() {
    return projection.name();
  }

  @Override
  public void handle(RecordedEvent event) throws SQLException {
    inTransaction(
        connection -> {
          projection.handle(event, connection);
          checkpoints.save(connection, projection.name(), event.position());
        });
  }

  @Override
  public void reset() throws SQLException {
    inTransaction(
        connection -> {
          projection.reset(connection);
          checkpoints.save(connection, projection.name(), 0);
        });
  }

  @Override
  public boolean storesCheckpoint() {
    return true;
  }

  /** One attempt: a failure stops the projection at the event, to resume there after a restart. */
  private void inTransaction(Work work) throws SQLException {
    Transactions.inTransaction(
        dataSource::getConnection,
        Transactions.Retry.NEVER,
        connection -> {
          work.run(connection);
          return null;
        });
  }

  @FunctionalInterface
  private interface Work {
    void run(Connection connection) throws SQLException;
  }
}
