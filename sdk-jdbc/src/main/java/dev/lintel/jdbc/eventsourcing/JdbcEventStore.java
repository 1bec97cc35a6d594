package dev.lintel.jdbc.eventsourcing;

import dev.lintel.core.eventsourcing.AbstractEventStore;
import dev.lintel.core.eventsourcing.EventSerializer;
import dev.lintel.eventsourcing.AppendResult;
import dev.lintel.eventsourcing.EventStore;
import dev.lintel.eventsourcing.EventStoreException;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.eventsourcing.WrongExpectedVersionException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EventStore} in a SQL database: PostgreSQL (the production target), MariaDB/MySQL or H2.
 *
 * <pre>{@code
 * JdbcEventStore store = JdbcEventStore.postgres(dataSource).serializer(serializer).build();
 * store.createSchema();   // or apply JdbcEventStore.ddl(JdbcDialect.POSTGRES, TableNames.defaults())
 * }</pre>
 *
 * <p><b>Global order.</b> Positions are allocated inside the append transaction from a one-row
 * table whose row lock is held until commit. Appends therefore commit one after the other in
 * position order, positions are dense (a rolled-back append leaves no gap), and a reader that has
 * seen position {@code p} can never later see a newly committed event below {@code p}: tailing
 * readers need no gap detection and no waiting. The price is that appends are serialized at commit:
 * an append transaction that stays open (a slow caller of {@link #append(Connection, String,
 * ExpectedVersion, List)}) delays every other writer, never a reader. {@link #stats()} shows how
 * long appends waited for that lock, and a wait over the configured threshold is logged at WARN.
 *
 * <p><b>Streams.</b> A row per stream holds its version; the expected-version check and the version
 * bump happen on that row in the same transaction, so concurrent writers to one stream get exactly
 * one winner per version.
 *
 * <p>Thread-safe; every call borrows its own connection from the data source. Reads use auto-commit
 * statements, so each sees the latest committed state.
 */
public final class JdbcEventStore extends AbstractEventStore {
  private static final Logger log = LoggerFactory.getLogger(JdbcEventStore.class);
  private static final int MAX_RETRIES = 5;
  private static final int PAGE_SIZE = 1_000;
  private static final int POSITION_COLUMN = 1;
  private static final int VERSION_COLUMN = 3;

  private final DataSource dataSource;
  private final JdbcDialect dialect;
  private final TableNames tables;
  private final Duration slowLockWait;
  private final String selectColumns;
  private final String selectAllPage;
  private final String selectStreamPage;
  private final String insertEvent;
  private final String appendCall;
  private final LongAdder appends = new LongAdder();
  private final LongAdder conflicts = new LongAdder();
  private final LongAdder lockWaitNanos = new LongAdder();
  private final LongAccumulator maxLockWaitNanos = new LongAccumulator(Math::max, 0);
  private final AtomicLong slowLockWaits = new AtomicLong();
  private final LongAdder visibilityGaps = new LongAdder();

  private JdbcEventStore(Builder builder, EventSerializer serializer) {
    super(new Settings(serializer, builder.maxEventBytes, builder.clock, builder.pollInterval));
    this.dataSource = builder.dataSource;
    this.dialect = builder.dialect;
    this.tables = builder.tables;
    this.slowLockWait = builder.slowLockWait;
    this.selectColumns =
        "SELECT position, stream_id, version, event_id, event_type, data, metadata, created_at FROM "
            + tables.events();
    this.selectAllPage = selectColumns + " WHERE position >= ? ORDER BY position LIMIT ?";
    this.selectStreamPage =
        selectColumns + " WHERE stream_id = ? AND version >= ? ORDER BY version LIMIT ?";
    this.appendCall = "SELECT " + tables.appendFunction() + "(?, ?, ?, ?, ?, ?, ?)";
    this.insertEvent =
        "INSERT INTO "
            + tables.events()
            + " (position, stream_id, version, event_id, event_type, data, metadata, created_at)"
            + " VALUES (?, ?, ?, ?, ?, "
            + dialect.jsonParameter()
            + ", "
            + dialect.jsonParameter()
            + ", ?)";
  }

  /**
   * Starts building a store on PostgreSQL.
   *
   * @param dataSource where connections come from (a pool in production)
   * @return a builder
   */
  public static Builder postgres(DataSource dataSource) {
    return new Builder(JdbcDialect.POSTGRES, dataSource);
  }

  /**
   * Starts building a store on MariaDB or MySQL.
   *
   * @param dataSource where connections come from
   * @return a builder
   */
  public static Builder mariadb(DataSource dataSource) {
    return new Builder(JdbcDialect.MARIADB, dataSource);
  }

  /**
   * Starts building a store on H2.
   *
   * @param dataSource where connections come from
   * @return a builder
   */
  public static Builder h2(DataSource dataSource) {
    return new Builder(JdbcDialect.H2, dataSource);
  }

  /**
   * Gives the statements that create the tables, for those who manage migrations themselves. They
   * are idempotent ({@code IF NOT EXISTS}).
   *
   * @param dialect the database
   * @param tables the table names
   * @return the DDL statements, in order
   */
  public static List<String> ddl(JdbcDialect dialect, TableNames tables) {
    return dialect.ddl(tables);
  }

  /**
   * Creates the tables if they do not exist. Safe to call on every start.
   *
   * @return this store
   * @throws EventStoreException if the DDL fails
   */
  public JdbcEventStore createSchema() {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      for (String ddl : dialect.ddl(tables)) {
        statement.execute(ddl);
      }
      return this;
    } catch (SQLException e) {
      throw new EventStoreException("Creating the event store tables failed", e);
    }
  }

  /**
   * Tells the database and table names, for the checkpoint and snapshot stores that share them.
   *
   * @return the dialect
   */
  public JdbcDialect dialect() {
    return dialect;
  }

  /**
   * Tells the table names.
   *
   * @return the table names
   */
  public TableNames tables() {
    return tables;
  }

  /**
   * Appends inside the caller's transaction, so the events commit or roll back with the caller's
   * own writes (a read model, an outbox). The caller owns the connection and its transaction; the
   * global position lock is held until the caller commits, which delays other writers meanwhile. On
   * a conflict the store rolls back to a savepoint of its own, leaving the caller's transaction
   * usable.
   *
   * @param connection a connection with auto-commit off
   * @param stream the stream id
   * @param expected the expected version
   * @param events the events
   * @return the new version and positions, final once the caller commits
   * @throws IllegalStateException if the connection is in auto-commit mode
   * @throws WrongExpectedVersionException if the stream's version does not match
   * @throws EventStoreException if the database fails
   */
  public AppendResult append(
      Connection connection, String stream, ExpectedVersion expected, List<NewEvent> events) {
    Objects.requireNonNull(connection, "connection");
    try {
      if (connection.getAutoCommit()) {
        throw new IllegalStateException(
            "append(connection, ...) joins the caller's transaction: turn auto-commit off first");
      }
    } catch (SQLException e) {
      throw new EventStoreException("Cannot read the connection's auto-commit mode", e);
    }
    return append(
        stream,
        expected,
        events,
        (s, e, pending, timestamp) ->
            writeInCallerTransaction(connection, s, e, pending, timestamp));
  }

  /**
   * Reports what appends have done since the store was created.
   *
   * @return the statistics
   */
  public Stats stats() {
    return new Stats(
        appends.sum(),
        conflicts.sum(),
        Duration.ofNanos(lockWaitNanos.sum()),
        Duration.ofNanos(maxLockWaitNanos.get()),
        slowLockWaits.get(),
        visibilityGaps.sum());
  }

  @Override
  protected AppendResult write(
      String stream, ExpectedVersion expected, List<PendingEvent> events, Instant timestamp)
      throws AppendConflict {
    if (dialect.appendsInOneStatement()) {
      return writeInOneStatement(stream, expected, events, timestamp);
    }
    for (int attempt = 1; ; attempt++) {
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(false);
        connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        try {
          AppendResult result = writeEvents(connection, stream, expected, events, timestamp);
          connection.commit();
          appends.increment();
          return result;
        } catch (RacedOnNewStream raced) {
          rollback(connection);
          retryOrGiveUp(stream, expected, attempt, raced);
        } catch (AppendConflict conflict) {
          rollback(connection);
          conflicts.increment();
          throw conflict;
        } catch (SQLException e) {
          rollback(connection);
          if (!isTransient(e) || attempt >= MAX_RETRIES) {
            throw e;
          }
          log.debug("Append to stream '{}' retried after a deadlock: {}", stream, e.getMessage());
        } catch (RuntimeException e) {
          rollback(connection);
          throw e;
        }
      } catch (SQLException e) {
        throw new EventStoreException(
            "Append to stream '" + stream + "' failed; nothing was written", e);
      }
    }
  }

  private AppendResult writeInCallerTransaction(
      Connection connection,
      String stream,
      ExpectedVersion expected,
      List<PendingEvent> events,
      Instant timestamp)
      throws AppendConflict {
    try {
      for (int attempt = 1; ; attempt++) {
        Savepoint savepoint = connection.setSavepoint();
        try {
          AppendResult result = writeEvents(connection, stream, expected, events, timestamp);
          connection.releaseSavepoint(savepoint);
          appends.increment();
          return result;
        } catch (RacedOnNewStream raced) {
          connection.rollback(savepoint);
          retryOrGiveUp(stream, expected, attempt, raced);
        } catch (AppendConflict conflict) {
          connection.rollback(savepoint);
          conflicts.increment();
          throw conflict;
        } catch (SQLException e) {
          if (isTransient(e)) {
            throw new EventStoreException(
                "Append to stream '"
                    + stream
                    + "' was chosen as a deadlock victim: the database rolled back the caller's"
                    + " whole transaction; roll back and retry it",
                e);
          }
          connection.rollback(savepoint);
          throw e;
        } catch (RuntimeException e) {
          connection.rollback(savepoint);
          throw e;
        }
      }
    } catch (SQLException e) {
      throw new EventStoreException(
          "Append to stream '" + stream + "' failed; nothing was written", e);
    }
  }

  /**
   * Another append created the stream first. "No stream" has lost: that is a version conflict. Any
   * other expectation tries again, now finding the stream's row.
   */
  private void retryOrGiveUp(
      String stream, ExpectedVersion expected, int attempt, RacedOnNewStream raced)
      throws AppendConflict {
    if (expected.isExact()) {
      conflicts.increment();
      throw AppendConflict.versionMismatch(currentVersion(stream, raced));
    }
    if (attempt >= MAX_RETRIES) {
      throw new EventStoreException(
          "Append to stream '" + stream + "' kept racing on the stream's creation",
          raced.getCause());
    }
  }

  /** One auto-committed call of the schema's append function: one round trip, one transaction. */
  private AppendResult writeInOneStatement(
      String stream, ExpectedVersion expected, List<PendingEvent> events, Instant timestamp)
      throws AppendConflict {
    for (int attempt = 1; ; attempt++) {
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(true);
        AppendResult result = callAppendFunction(connection, stream, expected, events, timestamp);
        appends.increment();
        return result;
      } catch (AppendConflict conflict) {
        conflicts.increment();
        throw conflict;
      } catch (SQLException e) {
        if (!isTransient(e) || attempt >= MAX_RETRIES) {
          throw new EventStoreException(
              "Append to stream '" + stream + "' failed; nothing was written", e);
        }
      }
    }
  }

  private AppendResult callAppendFunction(
      Connection connection,
      String stream,
      ExpectedVersion expected,
      List<PendingEvent> events,
      Instant timestamp)
      throws SQLException, AppendConflict {
    int count = events.size();
    UUID[] ids = new UUID[count];
    String[] types = new String[count];
    String[] data = new String[count];
    String[] metadata = new String[count];
    for (int i = 0; i < count; i++) {
      PendingEvent event = events.get(i);
      ids[i] = event.eventId();
      types[i] = event.type();
      data[i] = event.json();
      metadata[i] = event.metadataJson();
    }
    Long[] result;
    try (PreparedStatement call = connection.prepareStatement(appendCall)) {
      call.setString(1, stream);
      call.setLong(2, encode(expected));
      call.setArray(3, connection.createArrayOf("uuid", ids));
      call.setArray(4, connection.createArrayOf("varchar", types));
      call.setArray(5, connection.createArrayOf("text", data));
      call.setArray(6, connection.createArrayOf("text", metadata));
      dialect.setTimestamp(call, 7, timestamp);
      try (ResultSet row = call.executeQuery()) {
        row.next();
        result = (Long[]) row.getArray(1).getArray();
      }
    } catch (SQLException e) {
      if (isUniqueViolation(e)) {
        throw AppendConflict.duplicateEventId();
      }
      throw e;
    }
    if (result[0] != 0) {
      throw AppendConflict.versionMismatch(result[1]);
    }
    recordLockWait(stream, result[3] * 1_000);
    return new AppendResult(stream, result[1], result[2] - count + 1, result[2]);
  }

  /** The expected version as the append function reads it: -2 any, -1 exists, n exactly n. */
  private static long encode(ExpectedVersion expected) {
    if (expected.isExact()) {
      return expected.version();
    }
    return expected.isSatisfiedBy(0) ? -2 : -1;
  }

  /** The append itself, on a connection in a transaction; the caller commits or rolls back. */
  private AppendResult writeEvents(
      Connection connection,
      String stream,
      ExpectedVersion expected,
      List<PendingEvent> events,
      Instant timestamp)
      throws SQLException, AppendConflict, RacedOnNewStream {
    if (dialect.appendsInOneStatement()) {
      return callAppendFunction(connection, stream, expected, events, timestamp);
    }
    long newVersion = bumpStreamVersion(connection, stream, expected, events.size());
    long firstVersion = newVersion - events.size() + 1;

    long waitStart = System.nanoTime();
    long lastPosition = dialect.allocatePositions(connection, tables, events.size());
    recordLockWait(stream, System.nanoTime() - waitStart);
    long firstPosition = lastPosition - events.size() + 1;

    try (PreparedStatement insert = connection.prepareStatement(insertEvent)) {
      for (int i = 0; i < events.size(); i++) {
        PendingEvent event = events.get(i);
        insert.setLong(1, firstPosition + i);
        insert.setString(2, stream);
        insert.setLong(3, firstVersion + i);
        dialect.setUuid(insert, 4, event.eventId());
        insert.setString(5, event.type());
        insert.setString(6, event.json());
        insert.setString(7, event.metadataJson());
        dialect.setTimestamp(insert, 8, timestamp);
        insert.addBatch();
      }
      insert.executeBatch();
    } catch (SQLException e) {
      if (isUniqueViolation(e)) {
        throw AppendConflict.duplicateEventId();
      }
      throw e;
    }
    return new AppendResult(stream, newVersion, firstPosition, lastPosition);
  }

  /**
   * Checks the expected version on the stream's row and moves it forward, holding the row's lock
   * until the transaction ends. An exact expectation is one conditional update; "no stream" is one
   * insert; "any" and "exists" lock the row first.
   */
  private long bumpStreamVersion(
      Connection connection, String stream, ExpectedVersion expected, int count)
      throws SQLException, AppendConflict, RacedOnNewStream {
    if (expected.isExact() && expected.version() > 0) {
      try (PreparedStatement update =
          connection.prepareStatement(
              "UPDATE "
                  + tables.streams()
                  + " SET version = ? WHERE stream_id = ? AND version = ?")) {
        update.setLong(1, expected.version() + count);
        update.setString(2, stream);
        update.setLong(3, expected.version());
        if (update.executeUpdate() == 1) {
          return expected.version() + count;
        }
      }
      throw AppendConflict.versionMismatch(readVersion(connection, stream, false));
    }
    long current = expected.isExact() ? 0 : readVersion(connection, stream, true);
    if (!expected.isSatisfiedBy(current)) {
      throw AppendConflict.versionMismatch(current);
    }
    if (current == 0) {
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO " + tables.streams() + " (stream_id, version) VALUES (?, ?)")) {
        insert.setString(1, stream);
        insert.setLong(2, count);
        insert.executeUpdate();
      } catch (SQLException e) {
        if (isUniqueViolation(e)) {
          throw new RacedOnNewStream(e);
        }
        throw e;
      }
      return count;
    }
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE " + tables.streams() + " SET version = ? WHERE stream_id = ?")) {
      update.setLong(1, current + count);
      update.setString(2, stream);
      update.executeUpdate();
    }
    return current + count;
  }

  private long readVersion(Connection connection, String stream, boolean lock) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT version FROM "
                + tables.streams()
                + " WHERE stream_id = ?"
                + (lock ? " FOR UPDATE" : ""))) {
      select.setString(1, stream);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getLong(1) : 0;
      }
    }
  }

  private long currentVersion(String stream, Exception cause) {
    try {
      return fetchStreamVersion(stream);
    } catch (EventStoreException e) {
      e.addSuppressed(cause);
      throw e;
    }
  }

  @Override
  protected List<RecordedEvent> fetchStream(String stream, long fromVersion, int max) {
    return readPages(
        selectStreamPage,
        VERSION_COLUMN,
        fromVersion,
        max,
        (statement, next, limit) -> {
          statement.setString(1, stream);
          statement.setLong(2, next);
          statement.setInt(3, limit);
        },
        () -> "reading stream '" + stream + "' from version " + fromVersion);
  }

  /**
   * Reads in position order and returns only the contiguous run starting at {@code fromPosition}.
   *
   * <p>Positions are dense: they are allocated under a lock held to commit, and a rolled-back
   * append gives its positions back to the next one. So if {@code p + 1} is visible and {@code p}
   * is not, the append holding {@code p} has committed and is about to become visible (InnoDB can
   * release a committing transaction's locks a moment before new read views see it). Stopping at
   * the gap and reading again later is exact: no event is skipped, and no waiting on timeouts is
   * involved.
   */
  @Override
  protected List<RecordedEvent> fetchAll(long fromPosition, int max) {
    return readPages(
        selectAllPage,
        POSITION_COLUMN,
        fromPosition,
        max,
        (statement, next, limit) -> {
          statement.setLong(1, next);
          statement.setInt(2, limit);
        },
        () -> "reading all events from position " + fromPosition);
  }

  /*
   * Reads page after page with a keyset query ("key >= next ORDER BY key LIMIT page") on one
   * connection, deserializing each page as soon as it is read, so the stored form is never held
   * for more than a page. On PostgreSQL a page's JSON goes to the serializer as bytes, all at once
   * (Jackson then parses the page with one parser). Small pages keep the plan an index range scan
   * whatever the planner knows about the table: on PostgreSQL one query with LIMIT 100000 over a
   * freshly loaded table was planned as a sequential scan and an external sort, six times slower.
   * Keys (positions, and versions within a stream) are dense, so the result is the
   * contiguous run from {@code from}: a page that skips a key stops the read before the gap (see
   * fetchAll), and a short page is the end. Pages are separate auto-committed statements; as
   * appends commit in key order, their concatenation is still a run that a later read continues.
   */
  private List<RecordedEvent> readPages(
      String sql, int keyColumn, long from, int max, PageBinder binder, Supplier<String> doing) {
    List<RecordedEvent> events = new ArrayList<>(Math.min(max, PAGE_SIZE));
    EventPage page = dialect.readsJsonAsBytes() ? new EventPage(Math.min(max, PAGE_SIZE)) : null;
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        long next = from;
        while (events.size() < max) {
          int limit = Math.min(PAGE_SIZE, max - events.size());
          binder.bind(statement, next, limit);
          int read = 0;
          boolean gap = false;
          try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              if (rows.getLong(keyColumn) != next) {
                gap = true;
                visibilityGaps.increment();
                log.debug(
                    "{}: {} is committed but not yet visible; stopping before it",
                    doing.get(),
                    next);
                break;
              }
              if (page == null) {
                events.add(deserialize(storedEvent(rows)));
              } else {
                addRow(page, rows);
              }
              next++;
              read++;
            }
          }
          if (page != null) {
            deserializeAll(page.json());
            page.drainTo(events);
          }
          if (gap || read < limit) {
            break;
          }
        }
      }
    } catch (SQLException e) {
      throw new EventStoreException(doing.get() + " failed", e);
    }
    return events;
  }

  /** Reads the current row of {@link #selectColumns} into a page, its text columns as bytes. */
  private void addRow(EventPage page, ResultSet row) throws SQLException {
    page.add(
        dialect.getUuid(row, 4),
        page.text(EventPage.STREAM, row.getBytes(2)),
        row.getLong(3),
        row.getLong(1),
        page.text(EventPage.TYPE, row.getBytes(5)),
        row.getBytes(6),
        metadataFromJson(row.getBytes(7)),
        dialect.getTimestamp(row, 8));
  }

  /** Reads the current row of {@link #selectColumns}. */
  private StoredEvent storedEvent(ResultSet row) throws SQLException {
    return new StoredEvent(
        dialect.getUuid(row, 4),
        row.getString(2),
        row.getLong(3),
        row.getLong(1),
        row.getString(5),
        row.getString(6),
        metadataFromJson(row.getString(7)),
        dialect.getTimestamp(row, 8));
  }

  @Override
  protected List<StoredEvent> fetchByIds(Set<UUID> eventIds) {
    List<UUID> ids = new ArrayList<>(eventIds);
    String placeholders = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
    return query(
        selectColumns + " WHERE event_id IN (" + placeholders + ")",
        "finding events by id",
        statement -> {
          for (int i = 0; i < ids.size(); i++) {
            dialect.setUuid(statement, i + 1, ids.get(i));
          }
        });
  }

  @Override
  protected long fetchStreamVersion(String stream) {
    try (Connection connection = dataSource.getConnection()) {
      return readVersion(connection, stream, false);
    } catch (SQLException e) {
      throw new EventStoreException("Reading the version of stream '" + stream + "' failed", e);
    }
  }

  @Override
  public long lastPosition() {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT last_position FROM " + tables.positions() + " WHERE id = 1")) {
      return row.next() ? row.getLong(1) : 0;
    } catch (SQLException e) {
      throw new EventStoreException("Reading the last position failed", e);
    }
  }

  private List<StoredEvent> query(String sql, String doing, Binder binder) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      binder.bind(statement);
      List<StoredEvent> events = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          events.add(storedEvent(rows));
        }
      }
      return events;
    } catch (SQLException e) {
      throw new EventStoreException(doing + " failed", e);
    }
  }

  private boolean isUniqueViolation(SQLException e) {
    for (SQLException next = e; next != null; next = next.getNextException()) {
      if (dialect.isUniqueViolation(next)) {
        return true;
      }
    }
    return e.getCause() instanceof SQLException cause && dialect.isUniqueViolation(cause);
  }

  /** A deadlock or serialization failure: the database rolled the transaction back; retry it. */
  private static boolean isTransient(SQLException e) {
    for (Throwable next = e; next != null; next = next.getCause()) {
      if (next instanceof SQLException sql
          && ("40001".equals(sql.getSQLState()) || "40P01".equals(sql.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  private void recordLockWait(String stream, long nanos) {
    lockWaitNanos.add(nanos);
    maxLockWaitNanos.accumulate(nanos);
    if (nanos > slowLockWait.toNanos()) {
      slowLockWaits.incrementAndGet();
      log.warn(
          "Append to stream '{}' waited {} ms for the global position lock: a long append"
              + " transaction is holding it",
          stream,
          nanos / 1_000_000);
    }
  }

  private static void rollback(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      log.debug("Rollback failed; the connection is probably gone", e);
    }
  }

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  /** Binds the parameters of one page of a keyset query. */
  @FunctionalInterface
  private interface PageBinder {
    void bind(PreparedStatement statement, long next, int limit) throws SQLException;
  }

  /** A concurrent append created the same new stream first; the transaction is retried. */
  private static final class RacedOnNewStream extends Exception {
    private static final long serialVersionUID = 1L;

    RacedOnNewStream(SQLException cause) {
      super(cause);
    }
  }

  /**
   * What appends have done since the store was created.
   *
   * @param appends appends committed (or joined into a caller's transaction)
   * @param conflicts appends refused for a version or id conflict
   * @param positionLockWait the total time appends spent acquiring the global position lock
   * @param maxPositionLockWait the longest single wait for it
   * @param slowPositionLockWaits how many waits exceeded the warning threshold
   * @param visibilityGaps how often a read stopped before a committed position (or stream version)
   *     that was not yet visible
   */
  public record Stats(
      long appends,
      long conflicts,
      Duration positionLockWait,
      Duration maxPositionLockWait,
      long slowPositionLockWaits,
      long visibilityGaps) {}

  /** Builds a {@link JdbcEventStore}. Not thread-safe. */
  public static final class Builder {
    private final JdbcDialect dialect;
    private final DataSource dataSource;
    private @Nullable EventSerializer serializer;
    private TableNames tables = TableNames.defaults();
    private int maxEventBytes = 1 << 20;
    private Clock clock = Clock.systemUTC();
    private Duration pollInterval = Duration.ofMillis(100);
    private Duration slowLockWait = Duration.ofSeconds(1);

    private Builder(JdbcDialect dialect, DataSource dataSource) {
      this.dialect = dialect;
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Sets the serializer; required.
     *
     * @param serializer turns events into JSON and back
     * @return this builder
     */
    public Builder serializer(EventSerializer serializer) {
      this.serializer = Objects.requireNonNull(serializer, "serializer");
      return this;
    }

    /**
     * Sets the table name prefix; {@code lintel_} by default.
     *
     * @param prefix lower-case letters, digits, underscores, optionally after {@code schema.}
     * @return this builder
     * @throws IllegalArgumentException if the prefix is not a safe identifier prefix
     */
    public Builder tablePrefix(String prefix) {
      this.tables = new TableNames(prefix);
      return this;
    }

    /**
     * Sets the largest serialized event (data plus metadata) accepted; 1 MiB by default.
     *
     * @param bytes the limit
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxEventBytes(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxEventBytes must be positive but was " + bytes);
      }
      this.maxEventBytes = bytes;
      return this;
    }

    /**
     * Sets the clock that stamps appended events.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets how often subscriptions poll for events appended by other processes; 100 ms by default.
     * Events appended through this store instance wake them at once.
     *
     * @param interval the interval
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder pollInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("pollInterval must be positive but was " + interval);
      }
      this.pollInterval = interval;
      return this;
    }

    /**
     * Sets the wait for the global position lock above which an append logs a warning; 1 s by
     * default.
     *
     * @param threshold the threshold
     * @return this builder
     */
    public Builder slowLockWarning(Duration threshold) {
      this.slowLockWait = Objects.requireNonNull(threshold, "threshold");
      return this;
    }

    /**
     * Builds the store. It does not create tables: call {@link JdbcEventStore#createSchema()} or
     * apply {@link JdbcEventStore#ddl}.
     *
     * @return the store
     * @throws IllegalStateException if no serializer was set
     */
    public JdbcEventStore build() {
      if (serializer == null) {
        throw new IllegalStateException(
            "A JdbcEventStore needs a serializer: JdbcEventStore."
                + dialect.name().toLowerCase(java.util.Locale.ROOT)
                + "(dataSource).serializer(...)");
      }
      return new JdbcEventStore(this, serializer);
    }
  }
}
