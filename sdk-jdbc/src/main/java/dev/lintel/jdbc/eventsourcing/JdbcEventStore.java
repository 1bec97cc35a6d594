package dev.lintel.jdbc.eventsourcing;

import dev.lintel.TimeSource;
import dev.lintel.core.eventsourcing.AbstractEventStore;
import dev.lintel.core.eventsourcing.EventSerializer;
import dev.lintel.eventsourcing.AppendResult;
import dev.lintel.eventsourcing.EventHandler;
import dev.lintel.eventsourcing.EventStore;
import dev.lintel.eventsourcing.EventStoreException;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.eventsourcing.Subscription;
import dev.lintel.eventsourcing.WrongExpectedVersionException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
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
 * table whose row lock is taken first and held until commit. Appends therefore commit one after the
 * other in position order, positions are dense (a rolled-back append leaves no gap), and a reader
 * that has seen position {@code p} can never later see a newly committed event below {@code p}:
 * tailing readers need no gap detection and no waiting. Appends never deadlock with each other.
 *
 * <p><b>Group commit.</b> Because appends are serialized at commit, concurrent appends through one
 * store instance are coalesced: the first caller to find the store idle writes its own append and
 * every append queued behind it (up to {@link Builder#maxGroupEvents(int)} events and {@link
 * Builder#maxGroupBytes(long)} bytes) in one transaction with one commit, on PostgreSQL in one
 * round trip. Each caller still gets its own result: a version conflict or a stored event id fails
 * only that caller's append, never the others of its group; a failed transaction fails every caller
 * of the group, and nothing of the group is written. A lone caller goes straight through. Appends
 * in a caller's transaction ({@link #append(Connection, String, ExpectedVersion, List)}) are not
 * grouped.
 *
 * <p><b>Slow transactions.</b> An append transaction that stays open (a slow caller of {@link
 * #append(Connection, String, ExpectedVersion, List)}) holds the position lock and delays every
 * other writer, never a reader. {@link #stats()} shows how long appends waited for that lock, a
 * wait over {@link Builder#slowLockWarning(Duration)} is logged at WARN, and {@link
 * Builder#positionLockTimeout(Duration)} makes the store's own appends fail fast instead of
 * queueing behind such a transaction.
 *
 * <p><b>Subscriptions.</b> Events appended through this instance wake its subscriptions at once.
 * Events appended by other instances (other nodes) arrive, on PostgreSQL, through {@code
 * LISTEN}/{@code NOTIFY}: every committed append or group announces its last position on a channel
 * named like the events table, and while this instance has subscriptions it holds one connection of
 * its data source listening on it (typically a few milliseconds of lag). Polling stays as the
 * fallback: after a lost notification connection (it reconnects with backoff) and on MariaDB and
 * H2, which poll adaptively, every 5 ms after new events were found, doubling while none come up to
 * {@link Builder#pollInterval(Duration)}.
 *
 * <p><b>Streams.</b> A row per stream holds its version; the expected-version check and the version
 * bump happen on that row in the same transaction, so concurrent writers to one stream get exactly
 * one winner per version.
 *
 * <p><b>Schema version.</b> {@link #createSchema()} records the schema version it created or
 * migrated to. Before its first read or write (and in {@code createSchema()}) a store checks the
 * recorded version and refuses, with a {@link SchemaVersionException}, tables of a newer release
 * and tables of an older version, which {@code createSchema()} migrates (keeping their rows).
 *
 * <p>Thread-safe; every call borrows its own connection from the data source. Reads use auto-commit
 * statements, so each sees the latest committed state.
 */
public final class JdbcEventStore extends AbstractEventStore {
  private static final Logger log = LoggerFactory.getLogger(JdbcEventStore.class);
  private static final int PAGE_SIZE = 1_000;
  private static final int POSITION_COLUMN = 1;
  private static final int VERSION_COLUMN = 3;

  private final DataSource dataSource;
  private final JdbcDialect dialect;
  private final TableNames tables;
  private final TimeSource timeSource;
  private final SchemaVersionCheck schemaVersion;
  private final Transactions.ConnectionSource connections;
  private final StoreStats stats;
  private final Appender appender;
  private final GroupCommit groupCommit;
  private final Duration positionLockTimeout;
  private final @Nullable PostgresNotifications notifications;
  private final String selectColumns;
  private final String selectAllPage;
  private final String selectStreamPage;
  private final String selectStreamVersion;
  private final String selectLastPosition;

  private JdbcEventStore(Builder builder, EventSerializer serializer) {
    super(
        new Settings(serializer, builder.maxEventBytes, builder.timeSource, builder.pollInterval));
    this.dataSource = builder.dataSource;
    this.dialect = builder.dialect;
    this.tables = builder.tables;
    this.timeSource = builder.timeSource;
    this.schemaVersion = new SchemaVersionCheck(dialect, tables);
    this.connections = () -> schemaVersion.open(dataSource);
    this.stats = new StoreStats(builder.slowLockWait);
    this.appender =
        dialect.appender(
            tables, stats, timeSource, builder.positionLockTimeout, builder.notifications);
    this.groupCommit =
        new GroupCommit(
            builder.maxGroupEvents,
            builder.maxGroupBytes,
            batches -> appender.append(connections, batches),
            stats);
    this.positionLockTimeout = builder.positionLockTimeout;
    this.notifications =
        dialect == JdbcDialect.POSTGRES && builder.notifications
            ? new PostgresNotifications(
                () -> dataSource.getConnection(),
                tables.notificationChannel(),
                this::wakeSubscriptions)
            : null;
    this.selectColumns =
        "SELECT position, stream_id, version, event_id, event_type, data, metadata, created_at FROM "
            + tables.events();
    this.selectAllPage = selectColumns + " WHERE position >= ? ORDER BY position LIMIT ?";
    this.selectStreamPage =
        selectColumns + " WHERE stream_id = ? AND version >= ? ORDER BY version LIMIT ?";
    this.selectStreamVersion = "SELECT version FROM " + tables.streams() + " WHERE stream_id = ?";
    this.selectLastPosition = "SELECT last_position FROM " + tables.positions() + " WHERE id = 1";
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
   * are idempotent ({@code IF NOT EXISTS}, seeds inserted only where missing), so they can be
   * applied again to tables in use; the last one records the schema version they create.
   *
   * @param dialect the database
   * @param tables the table names
   * @return the DDL statements, in order
   */
  public static List<String> ddl(JdbcDialect dialect, TableNames tables) {
    return Schema.ddl(dialect, tables);
  }

  /**
   * Gives the statements that bring tables at an older schema version up to this release's, the
   * last recording it, for those who manage migrations themselves: apply {@link #ddl} first (it
   * adds what is missing), then these, once. Version 1 is the first release's (its tables record no
   * version, or 1); version 2 makes MariaDB compare stream ids byte-exactly (it rebuilds each
   * table).
   *
   * @param dialect the database
   * @param tables the table names
   * @param fromVersion the version recorded in the {@code schema_version} table, 0 if none
   * @return the statements, in order
   */
  public static List<String> migration(JdbcDialect dialect, TableNames tables, int fromVersion) {
    return Schema.migration(dialect, tables, fromVersion);
  }

  /**
   * Creates the tables if they do not exist, migrates tables of an older schema version (see {@link
   * #migration}) and records the version. Safe to call on every start: it leaves existing rows
   * alone, and migrates only tables that record an older version (or none).
   *
   * @return this store
   * @throws SchemaVersionException if the tables record a newer schema version than this release
   *     supports; then nothing was changed
   * @throws EventStoreException if the DDL fails
   */
  public JdbcEventStore createSchema() {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      int recorded = schemaVersion.verifyForMigration(connection);
      for (String ddl : Schema.create(dialect, tables)) {
        statement.execute(ddl);
      }
      // Recorded last, so that a migration that fails part-way runs again at the next start.
      for (String migration : Schema.migration(dialect, tables, recorded)) {
        statement.execute(migration);
      }
      return this;
    } catch (SQLException e) {
      throw new EventStoreException("Creating the event store tables failed", e);
    }
  }

  /**
   * Tells the database, for the checkpoint and snapshot stores that share this store's tables.
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

  /** The schema version check that the stores sharing these tables share too. */
  SchemaVersionCheck schemaVersion() {
    return schemaVersion;
  }

  /** The time source, whose wall clock also stamps snapshots in these tables. */
  TimeSource timeSource() {
    return timeSource;
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
   * @throws SchemaVersionException if the tables were created by a newer release
   * @throws EventStoreException if the database fails, or chose the caller's transaction as a
   *     deadlock victim (then roll it back and run it again)
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
            counted(
                s,
                true,
                () ->
                    Transactions.underSavepoint(
                        connection,
                        new Transactions.Retry(dialect::isUniqueViolation),
                        joined -> {
                          requireStorable(s, pending);
                          schemaVersion.check(joined);
                          AppendBatch batch = new AppendBatch(s, e, pending, timestamp);
                          return appender.write(joined, List.of(batch)).get(0).get();
                        })));
  }

  /**
   * Reports what appends have done since the store was created.
   *
   * @return the statistics
   */
  public Stats stats() {
    return stats.snapshot();
  }

  @Override
  protected AppendResult write(
      String stream, ExpectedVersion expected, List<PendingEvent> events, Instant timestamp)
      throws AppendConflict {
    requireStorable(stream, events);
    return counted(
        stream,
        false,
        () -> groupCommit.append(new AppendBatch(stream, expected, events, timestamp)).get());
  }

  private void requireStorable(String stream, List<PendingEvent> events) {
    for (int i = 0; i < events.size(); i++) {
      dialect.requireStorable(stream, i + 1, events.get(i));
    }
  }

  /**
   * Runs an append, counts it, and turns what the database reported into the store's exceptions.
   */
  private AppendResult counted(String stream, boolean inCallerTransaction, AppendAttempt attempt)
      throws AppendConflict {
    try {
      AppendResult result = attempt.run();
      stats.appended();
      return result;
    } catch (AppendConflict conflict) {
      stats.conflicted();
      throw conflict;
    } catch (SQLException e) {
      if (!inCallerTransaction && dialect.isLockTimeoutAnywhere(e)) {
        throw new EventStoreException(
            "Append to stream '"
                + stream
                + "' waited longer than the position lock timeout ("
                + positionLockTimeout.toMillis()
                + " ms) for the global position lock, which another append transaction holds;"
                + " nothing was written",
            e);
      }
      if (inCallerTransaction && Transactions.isTransient(e)) {
        throw new EventStoreException(
            "Append to stream '"
                + stream
                + "' was chosen as a deadlock victim: the database rolled back the caller's"
                + " whole transaction; roll back and retry it",
            e);
      }
      throw new EventStoreException(
          "Append to stream '" + stream + "' failed; nothing was written", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>On PostgreSQL with notifications on, this instance listens on the store's channel (holding
   * one connection of its data source) while it has subscriptions, so events appended by other
   * instances arrive within milliseconds; otherwise they arrive by polling (see the class comment).
   */
  @Override
  public Subscription subscribeAll(long fromPosition, EventHandler handler) {
    Subscription subscription = super.subscribeAll(fromPosition, handler);
    return notifications == null ? subscription : notifications.listenWhileOpen(subscription);
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
    try (Connection connection = connections.open()) {
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
                stats.visibilityGap();
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
    return storedEvent(row, -1, -1);
  }

  /** Reads the current row of {@link #selectColumns}, with its place in its append if known. */
  private StoredEvent storedEvent(ResultSet row, int appendIndex, int appendSize)
      throws SQLException {
    return new StoredEvent(
        dialect.getUuid(row, 4),
        row.getString(2),
        row.getLong(3),
        row.getLong(1),
        row.getString(5),
        row.getString(6),
        metadataFromJson(row.getString(7)),
        dialect.getTimestamp(row, 8),
        appendIndex,
        appendSize);
  }

  @Override
  protected List<StoredEvent> fetchByIds(Set<UUID> eventIds) {
    List<UUID> ids = new ArrayList<>(eventIds);
    String placeholders = String.join(", ", Collections.nCopies(ids.size(), "?"));
    try (Connection connection = connections.open();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT position, stream_id, version, event_id, event_type, data, metadata,"
                    + " created_at, append_index, append_size FROM "
                    + tables.events()
                    + " WHERE event_id IN ("
                    + placeholders
                    + ")")) {
      for (int i = 0; i < ids.size(); i++) {
        dialect.setUuid(statement, i + 1, ids.get(i));
      }
      List<StoredEvent> events = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          int index = rows.getInt(9);
          boolean unrecorded = rows.wasNull(); // written before schema version 2
          int size = rows.getInt(10);
          unrecorded |= rows.wasNull();
          events.add(storedEvent(rows, unrecorded ? -1 : index, unrecorded ? -1 : size));
        }
      }
      return events;
    } catch (SQLException e) {
      throw new EventStoreException("finding events by id failed", e);
    }
  }

  @Override
  protected long fetchStreamVersion(String stream) {
    try (Connection connection = connections.open();
        PreparedStatement select = connection.prepareStatement(selectStreamVersion)) {
      select.setString(1, stream);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getLong(1) : 0;
      }
    } catch (SQLException e) {
      throw new EventStoreException("Reading the version of stream '" + stream + "' failed", e);
    }
  }

  @Override
  public long lastPosition() {
    try (Connection connection = connections.open();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(selectLastPosition)) {
      return row.next() ? row.getLong(1) : 0;
    } catch (SQLException e) {
      throw new EventStoreException("Reading the last position failed", e);
    }
  }

  @FunctionalInterface
  private interface AppendAttempt {
    AppendResult run() throws SQLException, AppendConflict;
  }

  /** Binds the parameters of one page of a keyset query. */
  @FunctionalInterface
  private interface PageBinder {
    void bind(PreparedStatement statement, long next, int limit) throws SQLException;
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
   * @param groupCommits transactions that wrote the store's own appends, each holding one or more
   *     callers' appends; {@code appends / groupCommits} is the average group size
   * @param largestGroup the most appends written in one of those transactions
   */
  public record Stats(
      long appends,
      long conflicts,
      Duration positionLockWait,
      Duration maxPositionLockWait,
      long slowPositionLockWaits,
      long visibilityGaps,
      long groupCommits,
      long largestGroup) {}

  /** Builds a {@link JdbcEventStore}. Not thread-safe. */
  public static final class Builder {
    private final JdbcDialect dialect;
    private final DataSource dataSource;
    private @Nullable EventSerializer serializer;
    private TableNames tables = TableNames.defaults();
    private int maxEventBytes = 1 << 20;
    private TimeSource timeSource = TimeSource.system();
    private Duration pollInterval = Duration.ofMillis(100);
    private Duration slowLockWait = Duration.ofSeconds(1);
    private Duration positionLockTimeout = Duration.ZERO;
    private int maxGroupEvents = 1_000;
    private long maxGroupBytes = 4L << 20;
    private boolean notifications = true;

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
     * Sets the time source: its wall clock stamps appended events (and the snapshots of a {@link
     * JdbcSnapshotStore} sharing this store), its monotonic clock times waits for the position
     * lock. {@link TimeSource#system()} by default.
     *
     * @param timeSource the time source
     * @return this builder
     */
    public Builder timeSource(TimeSource timeSource) {
      this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
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
     * Sets how long the store's own appends wait for the global position lock before failing with
     * an {@link EventStoreException} that says so (nothing written), instead of queueing behind a
     * transaction that holds it. Zero, the default, waits until the holder ends, on every database
     * (PostgreSQL without {@code lock_timeout}, MariaDB {@code FOR UPDATE WAIT} a year, H2 with its
     * session {@code LOCK_TIMEOUT} raised for the append). MariaDB counts whole seconds, so the
     * timeout is rounded up there. Appends in a caller's transaction keep the caller's settings.
     *
     * @param timeout the timeout, or zero
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder positionLockTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("positionLockTimeout must not be negative: " + timeout);
      }
      this.positionLockTimeout = timeout;
      return this;
    }

    /**
     * Sets the most events that concurrent appends coalesced into one transaction may hold; 1,000
     * by default. A single append with more events is written alone. 1 turns grouping off.
     *
     * @param events the limit
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxGroupEvents(int events) {
      if (events < 1) {
        throw new IllegalArgumentException("maxGroupEvents must be positive but was " + events);
      }
      this.maxGroupEvents = events;
      return this;
    }

    /**
     * Sets the most bytes of event JSON that concurrent appends coalesced into one transaction may
     * hold; 4 MiB by default. A single append with more is written alone.
     *
     * @param bytes the limit
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxGroupBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxGroupBytes must be positive but was " + bytes);
      }
      this.maxGroupBytes = bytes;
      return this;
    }

    /**
     * Sets whether, on PostgreSQL, appends announce their last position with {@code NOTIFY} and
     * this store's subscriptions listen for it; on by default. Off, subscriptions see other
     * instances' events by polling only. No effect on MariaDB and H2.
     *
     * @param enabled whether to notify and listen
     * @return this builder
     */
    public Builder notifications(boolean enabled) {
      this.notifications = enabled;
      return this;
    }

    /**
     * Builds the store, without touching the database. It does not create tables: call {@link
     * JdbcEventStore#createSchema()} or apply {@link JdbcEventStore#ddl}.
     *
     * @return the store
     * @throws IllegalStateException if no serializer was set
     */
    public JdbcEventStore build() {
      if (serializer == null) {
        throw new IllegalStateException(
            "A JdbcEventStore needs a serializer: JdbcEventStore."
                + dialect.name().toLowerCase(Locale.ROOT)
                + "(dataSource).serializer(...)");
      }
      return new JdbcEventStore(this, serializer);
    }
  }
}
