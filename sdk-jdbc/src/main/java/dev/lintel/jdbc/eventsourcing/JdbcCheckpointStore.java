package dev.lintel.jdbc.eventsourcing;

import dev.lintel.eventsourcing.CheckpointStore;
import dev.lintel.eventsourcing.EventStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Keeps projection checkpoints in the {@code checkpoints} table next to the events. {@link
 * #save(Connection, String, long)} writes inside a caller's transaction, which is how a {@link
 * TransactionalProjection} commits its read model and its checkpoint together. Thread-safe.
 */
public final class JdbcCheckpointStore implements CheckpointStore {
  private final DataSource dataSource;
  private final SchemaVersionCheck schemaVersion;
  private final String select;
  private final String upsert;

  private JdbcCheckpointStore(DataSource dataSource, JdbcEventStore store) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.schemaVersion = store.schemaVersion();
    TableNames tables = store.tables();
    this.select = "SELECT position FROM " + tables.checkpoints() + " WHERE name = ?";
    this.upsert =
        store.dialect().upsert(tables.checkpoints(), "name", List.of("name", "position"), "?, ?");
  }

  /**
   * Creates a checkpoint store in the same database and tables as an event store, sharing its
   * dialect, table names and schema version check.
   *
   * @param dataSource where connections come from
   * @param store the event store whose tables to share
   * @return the checkpoint store
   */
  public static JdbcCheckpointStore sharing(DataSource dataSource, JdbcEventStore store) {
    return new JdbcCheckpointStore(dataSource, Objects.requireNonNull(store, "store"));
  }

  /**
   * {@inheritDoc}
   *
   * @throws SchemaVersionException if the tables were created by a newer release
   * @throws EventStoreException if the database fails
   */
  @Override
  public long load(String projection) {
    try (Connection connection = schemaVersion.open(dataSource);
        PreparedStatement statement = connection.prepareStatement(select)) {
      statement.setString(1, projection);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() ? row.getLong(1) : 0;
      }
    } catch (SQLException e) {
      throw new EventStoreException("Loading the checkpoint of '" + projection + "' failed", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws SchemaVersionException if the tables were created by a newer release
   * @throws EventStoreException if the database fails
   */
  @Override
  public void save(String projection, long position) {
    try (Connection connection = schemaVersion.open(dataSource)) {
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
   * @throws SchemaVersionException if the tables were created by a newer release
   * @throws SQLException if the write fails
   */
  public void save(Connection connection, String projection, long position) throws SQLException {
    schemaVersion.check(connection);
    try (PreparedStatement statement = connection.prepareStatement(upsert)) {
      statement.setString(1, projection);
      statement.setLong(2, position);
      statement.executeUpdate();
    }
  }
}
