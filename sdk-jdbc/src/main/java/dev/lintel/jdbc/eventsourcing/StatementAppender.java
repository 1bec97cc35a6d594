package dev.lintel.jdbc.eventsourcing;

import dev.lintel.TimeSource;
import dev.lintel.core.eventsourcing.AbstractEventStore.AppendConflict;
import dev.lintel.core.eventsourcing.AbstractEventStore.PendingEvent;
import dev.lintel.eventsourcing.AppendResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The append of MariaDB and H2, as locking statements in one READ COMMITTED transaction: lock the
 * position row, read the streams' versions and look for the event ids with locking reads (which see
 * the latest committed rows), decide each batch, then write the streams, the events and the
 * position row and commit. A whole group costs the same round trips as one append. Transient
 * failures are retried, and so is a unique violation: under the protocol an append never hits one,
 * so it came from a writer that does not follow it, whose rows the next attempt's checks see.
 */
final class StatementAppender implements Appender {
  /** Most parameters in one {@code IN} list. */
  private static final int IN_LIST = 500;

  private final JdbcDialect dialect;
  private final StoreStats stats;
  private final TimeSource timeSource;
  private final String lockPositions;
  private final String lockPositionsWithTimeout;
  private final long sessionLockTimeoutMillis;
  private final String selectVersions;
  private final String selectEventIds;
  private final String insertStream;
  private final String updateStream;
  private final String insertEvent;
  private final String updatePositions;

  /**
   * @param dialect the database
   * @param tables the table names
   * @param stats where lock waits are recorded
   * @param timeSource times the position lock wait
   * @param lockTimeoutClause what follows {@code FOR UPDATE} on the position row in store-owned
   *     appends to bound the wait (MariaDB's {@code WAIT n}), or an empty string
   * @param sessionLockTimeoutMillis the session lock timeout that store-owned appends set for their
   *     transaction and restore after it (H2's {@code LOCK_TIMEOUT}), or -1 to leave it alone
   */
  StatementAppender(
      JdbcDialect dialect,
      TableNames tables,
      StoreStats stats,
      TimeSource timeSource,
      String lockTimeoutClause,
      long sessionLockTimeoutMillis) {
    this.dialect = dialect;
    this.stats = stats;
    this.timeSource = timeSource;
    this.lockPositions =
        "SELECT last_position FROM " + tables.positions() + " WHERE id = 1 FOR UPDATE";
    this.lockPositionsWithTimeout = lockPositions + lockTimeoutClause;
    this.sessionLockTimeoutMillis = sessionLockTimeoutMillis;
    this.selectVersions =
        "SELECT stream_id, version FROM "
            + tables.streams()
            + " WHERE stream_id IN (%s) FOR UPDATE";
    this.selectEventIds =
        "SELECT event_id FROM " + tables.events() + " WHERE event_id IN (%s) FOR UPDATE";
    this.insertStream = "INSERT INTO " + tables.streams() + " (stream_id, version) VALUES (?, ?)";
    this.updateStream = "UPDATE " + tables.streams() + " SET version = ? WHERE stream_id = ?";
    this.insertEvent =
        "INSERT INTO "
            + tables.events()
            + " (position, stream_id, version, event_id, event_type, data, metadata, created_at,"
            + " append_index, append_size) VALUES (?, ?, ?, ?, ?, "
            + dialect.jsonParameter()
            + ", "
            + dialect.jsonParameter()
            + ", ?, ?, ?)";
    this.updatePositions = "UPDATE " + tables.positions() + " SET last_position = ? WHERE id = 1";
  }

  @Override
  public List<AppendBatch.Outcome> append(
      Transactions.ConnectionSource connections, List<AppendBatch> batches) throws SQLException {
    return Transactions.inTransaction(
        connections,
        Connection.TRANSACTION_READ_COMMITTED,
        Transactions.Retry.TRANSIENT.or(dialect::isUniqueViolation),
        connection -> {
          if (sessionLockTimeoutMillis < 0) {
            return write(connection, batches, lockPositionsWithTimeout);
          }
          long previous = queryLong(connection, "SELECT LOCK_TIMEOUT()");
          execute(connection, "SET LOCK_TIMEOUT " + sessionLockTimeoutMillis);
          try {
            return write(connection, batches, lockPositionsWithTimeout);
          } finally {
            execute(connection, "SET LOCK_TIMEOUT " + previous); // the commit waits for no lock
          }
        });
  }

  private static long queryLong(Connection connection, String sql) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql);
        ResultSet row = select.executeQuery()) {
      row.next();
      return row.getLong(1);
    }
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.execute();
    }
  }

  @Override
  public List<AppendBatch.Outcome> write(Connection connection, List<AppendBatch> batches)
      throws SQLException {
    return write(connection, batches, lockPositions);
  }

  private List<AppendBatch.Outcome> write(
      Connection connection, List<AppendBatch> batches, String lockSql) throws SQLException {
    long waitStart = timeSource.nanoTime();
    long last = lockPositions(connection, lockSql);
    stats.positionLockWaited(batches, timeSource.nanoTime() - waitStart);
    long first = last;

    Map<String, Long> storedVersions = readVersions(connection, batches);
    Set<UUID> storedIds = readStoredIds(connection, batches);
    Map<String, Long> versions = new HashMap<>(storedVersions);
    List<AppendBatch.Outcome> outcomes = new ArrayList<>(batches.size());
    List<AppendResult> written = new ArrayList<>();
    List<AppendBatch> writtenBatches = new ArrayList<>();
    for (AppendBatch batch : batches) {
      long current = versions.getOrDefault(batch.stream(), 0L);
      if (!batch.expected().isSatisfiedBy(current)) {
        outcomes.add(AppendBatch.Outcome.refused(AppendConflict.versionMismatch(current)));
      } else if (!addAll(storedIds, batch.events())) {
        outcomes.add(AppendBatch.Outcome.refused(AppendConflict.duplicateEventId()));
      } else {
        last += batch.size();
        versions.put(batch.stream(), current + batch.size());
        AppendResult result =
            new AppendResult(batch.stream(), current + batch.size(), last - batch.size() + 1, last);
        outcomes.add(AppendBatch.Outcome.written(result));
        written.add(result);
        writtenBatches.add(batch);
      }
    }
    if (last > first) {
      writeStreams(connection, writtenBatches, storedVersions, versions);
      insertEvents(connection, writtenBatches, written);
      try (PreparedStatement update = connection.prepareStatement(updatePositions)) {
        update.setLong(1, last);
        update.executeUpdate();
      }
    }
    return outcomes;
  }

  private long lockPositions(Connection connection, String sql) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql);
        ResultSet row = select.executeQuery()) {
      if (!row.next()) {
        throw new SQLException("The position table has no row with id 1: create the schema first");
      }
      return row.getLong(1);
    }
  }

  /** Adds the batch's ids to those stored or written before it, unless one of them is there. */
  private static boolean addAll(Set<UUID> ids, List<PendingEvent> events) {
    for (PendingEvent event : events) {
      if (ids.contains(event.eventId())) {
        return false;
      }
    }
    events.forEach(event -> ids.add(event.eventId()));
    return true;
  }

  /** The versions of the batches' streams that exist, their rows locked. */
  private Map<String, Long> readVersions(Connection connection, List<AppendBatch> batches)
      throws SQLException {
    Set<String> distinct = new LinkedHashSet<>();
    batches.forEach(batch -> distinct.add(batch.stream()));
    List<String> streams = new ArrayList<>(distinct);
    Map<String, Long> versions = new HashMap<>();
    for (List<String> chunk : chunks(streams)) {
      try (PreparedStatement select =
          connection.prepareStatement(String.format(selectVersions, placeholders(chunk.size())))) {
        for (int i = 0; i < chunk.size(); i++) {
          select.setString(i + 1, chunk.get(i));
        }
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            versions.put(rows.getString(1), rows.getLong(2));
          }
        }
      }
    }
    return versions;
  }

  /** Which of the batches' event ids are stored already. */
  private Set<UUID> readStoredIds(Connection connection, List<AppendBatch> batches)
      throws SQLException {
    List<UUID> ids = new ArrayList<>();
    batches.forEach(batch -> batch.events().forEach(event -> ids.add(event.eventId())));
    Set<UUID> stored = new HashSet<>();
    for (List<UUID> chunk : chunks(ids)) {
      try (PreparedStatement select =
          connection.prepareStatement(String.format(selectEventIds, placeholders(chunk.size())))) {
        for (int i = 0; i < chunk.size(); i++) {
          dialect.setUuid(select, i + 1, chunk.get(i));
        }
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            stored.add(dialect.getUuid(rows, 1));
          }
        }
      }
    }
    return stored;
  }

  /** Inserts the streams that are new and moves the others to their final version. */
  private void writeStreams(
      Connection connection,
      List<AppendBatch> batches,
      Map<String, Long> storedVersions,
      Map<String, Long> versions)
      throws SQLException {
    Set<String> streams = new HashSet<>();
    batches.forEach(batch -> streams.add(batch.stream()));
    try (PreparedStatement insert = connection.prepareStatement(insertStream);
        PreparedStatement update = connection.prepareStatement(updateStream)) {
      boolean inserts = false;
      boolean updates = false;
      for (String stream : streams) {
        if (storedVersions.containsKey(stream)) {
          update.setLong(1, versions.get(stream));
          update.setString(2, stream);
          update.addBatch();
          updates = true;
        } else {
          insert.setString(1, stream);
          insert.setLong(2, versions.get(stream));
          insert.addBatch();
          inserts = true;
        }
      }
      if (inserts) {
        insert.executeBatch();
      }
      if (updates) {
        update.executeBatch();
      }
    }
  }

  private void insertEvents(
      Connection connection, List<AppendBatch> batches, List<AppendResult> results)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(insertEvent)) {
      for (int b = 0; b < batches.size(); b++) {
        AppendBatch batch = batches.get(b);
        AppendResult result = results.get(b);
        long firstVersion = result.version() - batch.size() + 1;
        for (int i = 0; i < batch.size(); i++) {
          PendingEvent event = batch.events().get(i);
          insert.setLong(1, result.firstPosition() + i);
          insert.setString(2, batch.stream());
          insert.setLong(3, firstVersion + i);
          dialect.setUuid(insert, 4, event.eventId());
          insert.setString(5, event.type());
          insert.setString(6, event.json());
          insert.setString(7, event.metadataJson());
          dialect.setTimestamp(insert, 8, batch.timestamp());
          insert.setInt(9, i);
          insert.setInt(10, batch.size());
          insert.addBatch();
        }
      }
      insert.executeBatch();
    }
  }

  private static <T> List<List<T>> chunks(List<T> items) {
    List<List<T>> chunks = new ArrayList<>();
    for (int from = 0; from < items.size(); from += IN_LIST) {
      chunks.add(items.subList(from, Math.min(items.size(), from + IN_LIST)));
    }
    return chunks;
  }

  private static String placeholders(int count) {
    return String.join(", ", Collections.nCopies(count, "?"));
  }
}
