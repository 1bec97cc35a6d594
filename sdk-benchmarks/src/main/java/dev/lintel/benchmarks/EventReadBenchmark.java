package dev.lintel.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.lintel.core.eventsourcing.AggregateRoot;
import dev.lintel.core.eventsourcing.EventSerializer;
import dev.lintel.core.eventsourcing.EventSourcedRepository;
import dev.lintel.core.eventsourcing.JacksonEventSerializer;
import dev.lintel.core.eventsourcing.Snapshotting;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.eventsourcing.Snapshot;
import dev.lintel.jdbc.eventsourcing.JdbcEventStore;
import dev.lintel.jdbc.eventsourcing.JdbcSnapshotStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reading events back from PostgreSQL:
 *
 * <ul>
 *   <li>{@code lintelReadAll} reads 100,000 events in global order with {@link
 *       JdbcEventStore#readAll}, deserializing each into its domain object; {@code rawJdbcReadAll}
 *       streams the same rows with a plain {@code SELECT} and reads every column;
 *   <li>{@code aggregateLoadFullReplay} loads an aggregate by replaying its 10,000 events; {@code
 *       aggregateLoadFromSnapshot} loads it from a snapshot at version 10,000.
 * </ul>
 *
 * <pre>
 * java -jar sdk-benchmarks/target/benchmarks.jar EventReadBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EventReadBenchmark {
  static final int EVENTS = 100_000;
  static final int AGGREGATE_EVENTS = 10_000;
  private static final String PREFIX = "bench_read_";
  private static final String ACCOUNT = "bench-account";

  /** Money paid into an account. */
  public record Deposited(String account, long amount) {}

  /** A snapshot of {@link Account}. */
  public record AccountState(long balance, long deposits) {}

  /** The aggregate loaded by the aggregate benchmarks. */
  public static final class Account extends AggregateRoot implements Snapshotting<AccountState> {
    private long balance;
    private long deposits;

    @Override
    protected void apply(Object event) {
      if (event instanceof Deposited deposited) {
        balance += deposited.amount();
        deposits++;
      }
    }

    @Override
    public AccountState snapshot() {
      return new AccountState(balance, deposits);
    }

    @Override
    public void restore(AccountState state) {
      balance = state.balance();
      deposits = state.deposits();
    }

    long balance() {
      return balance;
    }
  }

  private HikariDataSource pool;
  private JdbcEventStore store;
  private EventSourcedRepository<Account> replaying;
  private EventSourcedRepository<Account> snapshotted;

  /**
   * Writes 100,000 events over 100 streams, an aggregate of 10,000 events and its snapshot.
   *
   * @throws SQLException if PostgreSQL is not reachable
   */
  @Setup
  public void setUp() throws SQLException {
    pool = BenchmarkDatabase.pool();
    BenchmarkDatabase.dropLintelTables(pool, PREFIX);
    EventSerializer serializer =
        JacksonEventSerializer.builder()
            .type(Deposited.class, "deposited")
            .type(AccountState.class, "account-state")
            .build();
    store =
        BenchmarkDatabase.store(pool)
            .serializer(serializer)
            .tablePrefix(PREFIX)
            .build()
            .createSchema();
    for (int batch = 0; batch < EVENTS / 1_000; batch++) {
      List<NewEvent> events = new ArrayList<>(1_000);
      for (int i = 0; i < 1_000; i++) {
        events.add(NewEvent.of(new Deposited("a-" + batch, i)));
      }
      store.append("stream-" + batch, ExpectedVersion.any(), events);
    }
    for (int batch = 0; batch < AGGREGATE_EVENTS / 1_000; batch++) {
      List<NewEvent> events = new ArrayList<>(1_000);
      for (int i = 0; i < 1_000; i++) {
        events.add(NewEvent.of(new Deposited(ACCOUNT, 1)));
      }
      store.append(ACCOUNT, ExpectedVersion.any(), events);
    }
    replaying = EventSourcedRepository.builder(store, Account::new).build();
    JdbcSnapshotStore snapshots = JdbcSnapshotStore.sharing(pool, store, serializer);
    snapshots.save(new Snapshot(ACCOUNT, AGGREGATE_EVENTS, replaying.load(ACCOUNT).snapshot()));
    snapshotted =
        EventSourcedRepository.builder(store, Account::new)
            .snapshots(snapshots, AGGREGATE_EVENTS)
            .build();
  }

  /** Closes the pool. */
  @TearDown
  public void tearDown() {
    pool.close();
  }

  /**
   * Lintel: the first 100,000 events of the global order, deserialized.
   *
   * @return the events
   */
  @Benchmark
  public List<RecordedEvent> lintelReadAll() {
    return store.readAll(1, EVENTS);
  }

  /**
   * Raw JDBC: the same rows streamed with a cursor, every column read.
   *
   * @param blackhole consumes the columns
   * @return the number of rows
   * @throws SQLException if the query fails
   */
  @Benchmark
  public int rawJdbcReadAll(Blackhole blackhole) throws SQLException {
    int rows = 0;
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement select =
          connection.prepareStatement(
              "SELECT position, stream_id, version, event_id, event_type, data, metadata, created_at"
                  + " FROM "
                  + PREFIX
                  + "events WHERE position >= ? ORDER BY position LIMIT ?")) {
        select.setLong(1, 1);
        select.setInt(2, EVENTS);
        select.setFetchSize(1_000);
        try (ResultSet row = select.executeQuery()) {
          while (row.next()) {
            blackhole.consume(row.getLong(1));
            blackhole.consume(row.getString(2));
            blackhole.consume(row.getLong(3));
            blackhole.consume(row.getObject(4, UUID.class));
            blackhole.consume(row.getString(5));
            blackhole.consume(row.getString(6));
            blackhole.consume(row.getString(7));
            blackhole.consume(row.getObject(8, OffsetDateTime.class));
            rows++;
          }
        }
      }
      connection.commit();
    }
    return rows;
  }

  /**
   * Loads the aggregate by replaying all its 10,000 events.
   *
   * @return its balance
   */
  @Benchmark
  public long aggregateLoadFullReplay() {
    return replaying.load(ACCOUNT).balance();
  }

  /**
   * Loads the aggregate from its snapshot at version 10,000 (no events after it).
   *
   * @return its balance
   */
  @Benchmark
  public long aggregateLoadFromSnapshot() {
    return snapshotted.load(ACCOUNT).balance();
  }
}
