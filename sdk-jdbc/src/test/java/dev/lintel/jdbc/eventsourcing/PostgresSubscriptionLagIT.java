package dev.lintel.jdbc.eventsourcing;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.Subscription;
import dev.lintel.testing.ContractEvents.Deposited;
import dev.lintel.testing.JdbcServer;
import dev.lintel.testing.TestServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribers on another store instance (another node) on PostgreSQL: woken by {@code NOTIFY}
 * rather than their poll, still served by polling when the notification connection is lost, and the
 * cross-instance delivery lag under 16 writers, with and without notifications, measured and
 * reported (the figures vary with the machine; the test asserts delivery, not timing).
 */
class PostgresSubscriptionLagIT {
  private static final Logger log = LoggerFactory.getLogger(PostgresSubscriptionLagIT.class);
  private static final Duration LONG_POLL = Duration.ofSeconds(30);
  private static HikariDataSource writers;

  private final String prefix = JdbcStores.freshPrefix();
  private final String readerName = "lintel-reader-" + UUID.randomUUID();
  private final JdbcServer postgres = TestServers.postgres();

  /** The reader's own pool, as another node would have; its connections carry a name to find. */
  private final HikariDataSource readerDataSource =
      JdbcStores.pooled(
          new JdbcServer(
              "PostgreSQL",
              postgres.url()
                  + (postgres.url().contains("?") ? "&" : "?")
                  + "ApplicationName="
                  + readerName,
              postgres.user(),
              postgres.password()),
          4,
          "lag-reader");

  @BeforeAll
  static void openPool() {
    writers = JdbcStores.pooled(TestServers.postgres(), 20, "lag-writers");
  }

  @AfterAll
  static void closePool() {
    writers.close();
  }

  @AfterEach
  void dropTables() {
    readerDataSource.close();
    JdbcStores.dropTables(writers, prefix);
  }

  private JdbcEventStore reader(boolean notifications, Duration pollInterval) {
    return JdbcEventStore.postgres(readerDataSource)
        .serializer(JdbcStores.contractSerializer())
        .tablePrefix(prefix)
        .pollInterval(pollInterval)
        .notifications(notifications)
        .build();
  }

  private static List<NewEvent> deposit() {
    return List.of(NewEvent.of(new Deposited("acct", 1)));
  }

  @Test
  void aSubscriberOnAnotherInstanceIsWokenByTheNotificationNotItsPoll() throws Exception {
    JdbcEventStore writer = JdbcStores.create(JdbcDialect.POSTGRES, writers, prefix);
    CountDownLatch delivered = new CountDownLatch(1);
    try (Subscription subscription =
        reader(true, LONG_POLL).subscribeAll(1, event -> delivered.countDown())) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500)); // listening, poll far away
      writer.append("s", ExpectedVersion.noStream(), deposit());

      assertThat(delivered.await(5, TimeUnit.SECONDS))
          .as("delivered long before the 30 s poll")
          .isTrue();
      assertThat(subscription.failure()).isNull();
    }
  }

  @Test
  void aLostNotificationConnectionIsReopenedAndSubscribersKeepReceiving() throws Exception {
    JdbcEventStore writer = JdbcStores.create(JdbcDialect.POSTGRES, writers, prefix);
    List<Long> positions = new ArrayList<>();
    try (Subscription subscription =
        reader(true, LONG_POLL).subscribeAll(1, event -> positions.add(event.position()))) {
      awaitListening(true);
      assertThat(terminateListener()).isPositive();
      awaitListening(true); // reopened after its backoff
      writer.append("s", ExpectedVersion.noStream(), deposit());

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (subscription.lastPosition() < 1 && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
      assertThat(subscription.lastPosition()).as("delivered before the 30 s poll").isEqualTo(1);
      assertThat(subscription.failure()).isNull();
    }
    awaitListening(false);
  }

  @Test
  void reportsCrossInstanceLagUnderSixteenWriters() throws Exception {
    JdbcStores.create(JdbcDialect.POSTGRES, writers, prefix);
    Lag notified = measure(true);
    Lag polled = measure(false);
    log.info(
        "Cross-instance subscriber lag on PostgreSQL, 16 writers: with notifications {}; polling"
            + " only (100 ms interval, adaptive) {}",
        notified,
        polled);
    assertThat(notified.events()).isPositive();
    assertThat(polled.events()).isPositive();
  }

  private Lag measure(boolean notifications) throws Exception {
    JdbcEventStore writer =
        JdbcEventStore.postgres(writers)
            .serializer(JdbcStores.contractSerializer())
            .tablePrefix(prefix)
            .build();
    Map<UUID, Long> committedAt = new ConcurrentHashMap<>();
    Map<UUID, Long> receivedAt = new ConcurrentHashMap<>();
    long from = writer.lastPosition() + 1;
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try (Subscription subscription =
        reader(notifications, Duration.ofMillis(100))
            .subscribeAll(from, event -> receivedAt.put(event.eventId(), System.nanoTime()))) {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      List<Future<?>> tasks = new ArrayList<>();
      for (int w = 0; w < 16; w++) {
        tasks.add(
            pool.submit(
                () -> {
                  while (System.nanoTime() < until) {
                    List<NewEvent> events = deposit();
                    String stream = "s" + ThreadLocalRandom.current().nextInt(1_000);
                    writer.append(stream, ExpectedVersion.any(), events);
                    committedAt.put(events.get(0).eventId(), System.nanoTime());
                  }
                  return null;
                }));
      }
      for (Future<?> task : tasks) {
        task.get(1, TimeUnit.MINUTES);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (receivedAt.size() < committedAt.size() && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
      assertThat(subscription.failure()).isNull();
    } finally {
      pool.shutdownNow();
    }
    assertThat(receivedAt.keySet()).containsAll(committedAt.keySet());
    long[] lags =
        committedAt.entrySet().stream()
            .mapToLong(e -> Math.max(0, receivedAt.get(e.getKey()) - e.getValue()))
            .sorted()
            .toArray();
    return new Lag(
        lags.length,
        Duration.ofNanos(lags[lags.length / 2]),
        Duration.ofNanos(lags[(int) (lags.length * 0.99)]));
  }

  private void awaitListening(boolean listening) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (listeners() > 0 == listening) {
        return;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    throw new AssertionError(
        "the reader's listening connection is " + (listening ? "not " : "") + "open");
  }

  /** The reader's backends that are listening: LISTEN was their last statement. */
  private int listeners() throws Exception {
    return countListening("count(*)");
  }

  private int terminateListener() throws Exception {
    return countListening("count(pg_terminate_backend(pid))");
  }

  /** Runs an aggregate over the reader's listening backends. */
  private int countListening(String aggregate) throws Exception {
    try (Connection admin = writers.getConnection();
        PreparedStatement select =
            admin.prepareStatement(
                "SELECT "
                    + aggregate
                    + " FROM pg_stat_activity WHERE application_name = ?"
                    + " AND query LIKE 'LISTEN%'")) {
      select.setString(1, readerName);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  /** Delivery lag after the writer's append returned. */
  record Lag(int events, Duration p50, Duration p99) {
    @Override
    public String toString() {
      return String.format(
          java.util.Locale.ROOT,
          "p50 %.1f ms, p99 %.1f ms over %d events",
          p50.toNanos() / 1e6,
          p99.toNanos() / 1e6,
          events);
    }
  }
}
