package dev.lintel.jdbc.eventsourcing;

import dev.lintel.eventsourcing.CheckpointStore;
import dev.lintel.eventsourcing.EventStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Keeps projection checkpoints in the {@code checkpoints} table next to the events. {@link
 * #save(Connection, String, long)} writes inside a caller's transaction, which is how a {@link
 * TransactionalProjection} commits its read model and its checkpoint together. Thread-safe.
 */
public final class JdbcCheckpointStore implements CheckpointStore {
  private final DataSource dataSource;
  private final TableNames tables;
  private final String upsert;

  private JdbcCheckpointStore(DataSource dataSource, JdbcDialect dialect, TableNames tables) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.tables = tables;
    this.upsert = dialect.upsertCheckpoint(tables);
  }

  /**
   * Creates a checkpoint store in the same database and tables as an event store.
   *
   * @param dataSource where connections come from
   * @param store the event store whose dialect and table names to share
   * @return the checkpoint store
   */
  public static JdbcCheckpointStore sharing(DataSource dataSource, JdbcEventStore store) {
    return new JdbcCheckpointStore(dataSource, store.dialect(), store.tables());
  }

  @Override
  public long load(String projection) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT position FROM " + tables.checkpoints() + " WHERE name = ?")) {
      select.setString(1, projection);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getLong(1) : 0;
      }
    } catch (SQLException e) {
      throw new EventStoreException("Loading the checkpoint of '" + projection + "' failed", e);
    }
  }

  @Override
  public void save(String projection, long position) {
    try (Connection connection = dataSource.getConnection()) {
      save(connection, projection, position);
    } catch (SQLException e) {
      throw new EventStoreException("Saving the checkpoint of '" + projection + "' failed", e);
    }
  }

  /**
   * Saves a checkpoint through the caller's connection, inside its transaction if one is open.
   *
   * @param connection the caller's connection
   * @param projection the projection's name
   * @param position the position of the last event processed
   * @throws SQLException if the write fails
   */
  public void save(Connection connection, String projection, long position) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(upsert)) {
      statement.setString(1, projection);
      statement.setLong(2, position);
      statement.executeUpdate();
    }
  }
}
