package dev.lintel.jdbc.eventsourcing;

import dev.lintel.TimeSource;
import dev.lintel.core.eventsourcing.EventSerializer;
import dev.lintel.eventsourcing.EventStoreException;
import dev.lintel.eventsourcing.Snapshot;
import dev.lintel.eventsourcing.SnapshotStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the latest snapshot of each stream in the {@code snapshots} table, serialized with the same
 * kind of serializer as events (register the snapshot classes under stable type names). A snapshot
 * that can no longer be read, for example after its class changed, is logged and treated as absent:
 * the aggregate is then rebuilt from all its events. Each snapshot is stamped with the time of the
 * event store's {@link TimeSource}. Thread-safe.
 */
public final class JdbcSnapshotStore implements SnapshotStore {
  private static final Logger log = LoggerFactory.getLogger(JdbcSnapshotStore.class);

  private final DataSource dataSource;
  private final JdbcDialect dialect;
  private final SchemaVersionCheck schemaVersion;
  private final EventSerializer serializer;
  private final TimeSource timeSource;
  private final String select;
  private final String upsert;

  private JdbcSnapshotStore(
      DataSource dataSource, JdbcEventStore store, EventSerializer serializer) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.dialect = store.dialect();
    this.schemaVersion = store.schemaVersion();
    this.serializer = Objects.requireNonNull(serializer, "serializer");
    this.timeSource = store.timeSource();
    TableNames tables = store.tables();
    this.select =
        "SELECT version, snapshot_type, data FROM " + tables.snapshots() + " WHERE stream_id = ?";
    this.upsert =
        dialect.upsert(
            tables.snapshots(),
            "stream_id",
            List.of("stream_id", "version", "snapshot_type", "data", "created_at"),
            "?, ?, ?, " + dialect.jsonParameter() + ", ?");
  }

  /**
   * Creates a snapshot store in the same database and tables as an event store, sharing its
   * dialect, table names, schema version check and time source.
   *
   * @param dataSource where connections come from
   * @param store the event store whose tables to share
   * @param serializer serializes snapshot states
   * @return the snapshot store
   */
  public static JdbcSnapshotStore sharing(
      DataSource dataSource, JdbcEventStore store, EventSerializer serializer) {
    return new JdbcSnapshotStore(dataSource, Objects.requireNonNull(store, "store"), serializer);
  }

  /**
   * {@inheritDoc}
   *
   * @throws SchemaVersionException if the tables were created by a newer release
   * @throws EventStoreException if the database fails
   */
  @Override
  public Optional<Snapshot> latest(String stream) {
    try (Connection connection = schemaVersion.open(dataSource);
        PreparedStatement statement = connection.prepareStatement(select)) {
      statement.setString(1, stream);
      try (ResultSet row = statement.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        long version = row.getLong(1);
        try {
          Object state =
              serializer.deserialize(row.getString(2), row.getString(3), stream, 0).data();
          return Optional.of(new Snapshot(stream, version, state));
        } catch (RuntimeException unreadable) {
          log.warn(
              "Snapshot of '{}' at version {} cannot be read; the aggregate will be replayed",
              stream,
              version,
              unreadable);
          return Optional.empty();
        }
      }
    } catch (SQLException e) {
      throw new EventStoreException("Reading the snapshot of '" + stream + "' failed", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws SchemaVersionException if the tables were created by a newer release
   * @throws EventStoreException if the database fails
   */
  @Override
  public void save(Snapshot snapshot) {
    EventSerializer.Serialized serialized = serializer.serialize(snapshot.state());
    try (Connection connection = schemaVersion.open(dataSource);
        PreparedStatement statement = connection.prepareStatement(upsert)) {
      statement.setString(1, snapshot.stream());
      statement.setLong(2, snapshot.version());
      statement.setString(3, serialized.type());
      statement.setString(4, serialized.json());
      dialect.setTimestamp(statement, 5, timeSource.now());
      statement.executeUpdate();
    } catch (SQLException e) {
      throw new EventStoreException("Saving the snapshot of '" + snapshot.stream() + "' failed", e);
    }
  }
}
