package dev.lintel.jdbc.eventsourcing;

import dev.lintel.core.eventsourcing.EventSerializer;
import dev.lintel.eventsourcing.EventStoreException;
import dev.lintel.eventsourcing.Snapshot;
import dev.lintel.eventsourcing.SnapshotStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the latest snapshot of each stream in the {@code snapshots} table, serialized with the same
 * kind of serializer as events (register the snapshot classes under stable type names). A snapshot
 * that can no longer be read, for example after its class changed, is logged and treated as absent:
 * the aggregate is then rebuilt from all its events. Thread-safe.
 */
public final class JdbcSnapshotStore implements SnapshotStore {
  private static final Logger log = LoggerFactory.getLogger(JdbcSnapshotStore.class);

  private final DataSource dataSource;
  private final JdbcDialect dialect;
  private final TableNames tables;
  private final EventSerializer serializer;
  private final Clock clock;

  private JdbcSnapshotStore(
      DataSource dataSource, JdbcDialect dialect, TableNames tables, EventSerializer serializer) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.dialect = dialect;
    this.tables = tables;
    this.serializer = Objects.requireNonNull(serializer, "serializer");
    this.clock = Clock.systemUTC();
  }

  /**
   * Creates a snapshot store in the same database and tables as an event store.
   *
   * @param dataSource where connections come from
   * @param store the event store whose dialect and table names to share
   * @param serializer serializes snapshot states
   * @return the snapshot store
   */
  public static JdbcSnapshotStore sharing(
      DataSource dataSource, JdbcEventStore store, EventSerializer serializer) {
    return new JdbcSnapshotStore(dataSource, store.dialect(), store.tables(), serializer);
  }

  @Override
  public Optional<Snapshot> latest(String stream) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT version, snapshot_type, data FROM "
                    + tables.snapshots()
                    + " WHERE stream_id = ?")) {
      select.setString(1, stream);
      try (ResultSet row = select.executeQuery()) {
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

  @Override
  public void save(Snapshot snapshot) {
    EventSerializer.Serialized serialized = serializer.serialize(snapshot.state());
    try (Connection connection = dataSource.getConnection();
        PreparedStatement upsert = connection.prepareStatement(dialect.upsertSnapshot(tables))) {
      upsert.setString(1, snapshot.stream());
      upsert.setLong(2, snapshot.version());
      upsert.setString(3, serialized.type());
      upsert.setString(4, serialized.json());
      dialect.setTimestamp(upsert, 5, clock.instant());
      upsert.executeUpdate();
    } catch (SQLException e) {
      throw new EventStoreException("Saving the snapshot of '" + snapshot.stream() + "' failed", e);
    }
  }
}
