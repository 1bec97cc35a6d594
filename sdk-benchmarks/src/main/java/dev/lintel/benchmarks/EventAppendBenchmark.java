package dev.lintel.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.lintel.core.eventsourcing.JacksonEventSerializer;
import dev.lintel.eventsourcing.AppendResult;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.jdbc.eventsourcing.JdbcEventStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.serialization.json.JacksonSerializer;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Appending events to PostgreSQL, one JDBC transaction per append, all through one HikariCP pool:
 *
 * <ul>
 *   <li>{@code lintel*}: {@link JdbcEventStore#append} (expected-version check, global position
 *       lock, batch insert, commit);
 *   <li>{@code axon*}: Axon 4.13's {@link JdbcEventStorageEngine#appendEvents} with Jackson, inside
 *       a plain JDBC transaction ({@link AxonJdbcTransactions});
 *   <li>{@code rawJdbc*}: a prepared-statement insert of the same rows (event id, stream, version,
 *       type, JSON data and metadata, timestamp) into an equivalent table with a {@code bigserial}
 *       position, and a commit: the practical limit.
 * </ul>
 *
 * {@code *Single} appends one event to a new stream; {@code *Batch100} appends 100 events to a new
 * stream. {@code *Concurrent16} runs 16 threads, each appending one event to a random stream among
 * 1,000, through a pool of 16 connections that the three variants share: Lintel expecting any
 * version (its appends are group-committed), Axon and raw JDBC with the next sequence number of the
 * stream, each append in a transaction of its own on its own pooled connection. Needs PostgreSQL
 * ({@code LINTEL_TEST_POSTGRES_URL}, default 127.0.0.1:5432/lintel_test).
 *
 * <pre>
 * java -jar sdk-benchmarks/target/benchmarks.jar EventAppendBenchmark -f 1 -wi 3 -i 5
 * java -jar sdk-benchmarks/target/benchmarks.jar 'EventAppendBenchmark.*Concurrent16' -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EventAppendBenchmark {
  private static final String PREFIX = "bench_append_";
  private static final String RAW_TABLE = "bench_raw_events";

  /** The domain event every variant appends. */
  public record OrderPlaced(String orderId, String customer, long amountCents) {}

  private static final int CONCURRENT_STREAMS = 1_000;

  private final AtomicLong streams = new AtomicLong();
  private final AtomicLongArray axonSequences = new AtomicLongArray(CONCURRENT_STREAMS);
  private final AtomicLongArray rawVersions = new AtomicLongArray(CONCURRENT_STREAMS);
  private final String run = Long.toString(System.nanoTime(), 36);
  private HikariDataSource concurrentPool;
  private JdbcEventStore concurrentLintel;
  private JdbcEventStorageEngine concurrentAxon;
  private final OrderPlaced payload = new OrderPlaced("order-1", "ada", 4_299);
  private HikariDataSource pool;
  private JdbcEventStore lintel;
  private JdbcEventStorageEngine axon;
  private String payloadJson;

  /**
   * Creates fresh tables for every variant.
   *
   * @throws SQLException if PostgreSQL is not reachable
   */
  @Setup
  public void setUp() throws SQLException {
    pool = BenchmarkDatabase.pool();
    BenchmarkDatabase.dropLintelTables(pool, PREFIX);
    lintel =
        BenchmarkDatabase.store(pool)
            .serializer(
                JacksonEventSerializer.builder().type(OrderPlaced.class, "order-placed").build())
            .tablePrefix(PREFIX)
            .build()
            .createSchema();

    BenchmarkDatabase.execute(
        pool,
        "DROP TABLE IF EXISTS domainevententry, snapshotevententry",
        "DROP TABLE IF EXISTS " + RAW_TABLE,
        "CREATE TABLE "
            + RAW_TABLE
            + " (position BIGSERIAL PRIMARY KEY, stream_id VARCHAR(200) NOT NULL,"
            + " version BIGINT NOT NULL, event_id UUID NOT NULL UNIQUE, event_type VARCHAR(200) NOT NULL,"
            + " data JSONB NOT NULL, metadata JSONB NOT NULL, created_at TIMESTAMPTZ NOT NULL,"
            + " UNIQUE (stream_id, version))");
    AxonJdbcTransactions transactions = new AxonJdbcTransactions(pool);
    JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
    axon =
        JdbcEventStorageEngine.builder()
            .connectionProvider(transactions)
            .transactionManager(transactions)
            .eventSerializer(serializer)
            .snapshotSerializer(serializer)
            .build();
    axon.createSchema(PostgresEventTableFactory.INSTANCE);

    concurrentPool = BenchmarkDatabase.pool(16);
    concurrentLintel =
        BenchmarkDatabase.store(concurrentPool)
            .serializer(
                JacksonEventSerializer.builder().type(OrderPlaced.class, "order-placed").build())
            .tablePrefix(PREFIX)
            .build();
    AxonJdbcTransactions concurrentTransactions = new AxonJdbcTransactions(concurrentPool);
    concurrentAxon =
        JdbcEventStorageEngine.builder()
            .connectionProvider(concurrentTransactions)
            .transactionManager(concurrentTransactions)
            .eventSerializer(serializer)
            .snapshotSerializer(serializer)
            .build();
    payloadJson = "{\"orderId\":\"order-1\",\"customer\":\"ada\",\"amountCents\":4299}";
  }

  /** Closes the pools. */
  @TearDown
  public void tearDown() {
    pool.close();
    concurrentPool.close();
  }

  /**
   * Lintel: one event to a new stream.
   *
   * @return the append's result
   */
  @Benchmark
  public AppendResult lintelSingle() {
    return lintel.append(newStream(), ExpectedVersion.noStream(), List.of(NewEvent.of(payload)));
  }

  /**
   * Lintel: 100 events to a new stream.
   *
   * @return the append's result
   */
  @Benchmark
  public AppendResult lintelBatch100() {
    List<NewEvent> events = new ArrayList<>(100);
    for (int i = 0; i < 100; i++) {
      events.add(NewEvent.of(payload));
    }
    return lintel.append(newStream(), ExpectedVersion.noStream(), events);
  }

  /** Axon: one event to a new aggregate. */
  @Benchmark
  public void axonSingle() {
    axon.appendEvents(List.of(axonEvent(newStream(), 0)));
  }

  /** Axon: 100 events to a new aggregate. */
  @Benchmark
  public void axonBatch100() {
    String aggregate = newStream();
    List<DomainEventMessage<?>> events = new ArrayList<>(100);
    for (int i = 0; i < 100; i++) {
      events.add(axonEvent(aggregate, i));
    }
    axon.appendEvents(events);
  }

  /**
   * Raw JDBC: one row and a commit.
   *
   * @return rows inserted
   * @throws SQLException if the insert fails
   */
  @Benchmark
  public int rawJdbcSingle() throws SQLException {
    return rawInsert(1);
  }

  /**
   * Raw JDBC: 100 rows in one batch and a commit.
   *
   * @return rows inserted
   * @throws SQLException if the insert fails
   */
  @Benchmark
  public int rawJdbcBatch100() throws SQLException {
    return rawInsert(100);
  }

  /**
   * Lintel, 16 threads: one event to a random stream among 1,000.
   *
   * @return the append's result
   */
  @Benchmark
  @Threads(16)
  public AppendResult lintelConcurrent16() {
    String stream = "lc-" + run + "-" + ThreadLocalRandom.current().nextInt(CONCURRENT_STREAMS);
    return concurrentLintel.append(stream, ExpectedVersion.any(), List.of(NewEvent.of(payload)));
  }

  /** Axon, 16 threads: one event to a random aggregate among 1,000, a transaction each. */
  @Benchmark
  @Threads(16)
  public void axonConcurrent16() {
    int aggregate = ThreadLocalRandom.current().nextInt(CONCURRENT_STREAMS);
    concurrentAxon.appendEvents(
        List.of(
            axonEvent("ac-" + run + "-" + aggregate, axonSequences.getAndIncrement(aggregate))));
  }

  /**
   * Raw JDBC, 16 threads: one row to a random stream among 1,000 and a commit, each on its own
   * pooled connection.
   *
   * @return rows inserted
   * @throws SQLException if the insert fails
   */
  @Benchmark
  @Threads(16)
  public int rawJdbcConcurrent16() throws SQLException {
    int stream = ThreadLocalRandom.current().nextInt(CONCURRENT_STREAMS);
    return rawInsert(
        concurrentPool, "rc-" + run + "-" + stream, rawVersions.incrementAndGet(stream), 1);
  }

  private int rawInsert(int rows) throws SQLException {
    return rawInsert(pool, newStream(), 1, rows);
  }

  private int rawInsert(HikariDataSource from, String stream, long firstVersion, int rows)
      throws SQLException {
    OffsetDateTime now = OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC);
    try (Connection connection = from.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO "
                  + RAW_TABLE
                  + " (stream_id, version, event_id, event_type, data, metadata, created_at)"
                  + " VALUES (?, ?, ?, ?, CAST(? AS JSONB), CAST(? AS JSONB), ?)")) {
        for (int i = 0; i < rows; i++) {
          insert.setString(1, stream);
          insert.setLong(2, firstVersion + i);
          insert.setObject(3, UUID.randomUUID());
          insert.setString(4, "order-placed");
          insert.setString(5, payloadJson);
          insert.setString(6, "{}");
          insert.setObject(7, now);
          insert.addBatch();
        }
        insert.executeBatch();
      }
      connection.commit();
    }
    return rows;
  }

  private DomainEventMessage<?> axonEvent(String aggregate, long sequence) {
    return new GenericDomainEventMessage<>("Order", aggregate, sequence, payload);
  }

  private String newStream() {
    return "order-" + Thread.currentThread().getId() + "-" + streams.incrementAndGet();
  }
}
