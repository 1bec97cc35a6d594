package dev.lintel.jdbc.eventsourcing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.eventsourcing.EventStoreException;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.eventsourcing.Subscription;
import dev.lintel.testing.ContractEvents.Deposited;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hardest promise of a SQL event store, proven on a real database: with 16 concurrent writers
 * (32 in the group-commit subclasses), their appends written in groups, some holding their
 * transaction open for a while and some rolling back, a subscriber tailing the global order from a
 * second store instance (another node) sees every committed event exactly once, in order, with each
 * stream's versions contiguous, and never a rolled-back event.
 */
abstract class GlobalOrderProof {
  static final int WRITERS = 16;
  private static final int STREAMS = 64;

  private final String prefix = JdbcStores.freshPrefix();

  /** The database under test. */
  abstract JdbcDialect dialect();

  /** Connections for the writers. */
  abstract DataSource writerDataSource();

  /** Connections for the subscriber; a subclass may break them while the test runs. */
  DataSource subscriberDataSource() {
    return writerDataSource();
  }

  /** How many threads write at once. */
  int writers() {
    return WRITERS;
  }

  /** Appends each writer makes; several events each. */
  int appendsPerWriter() {
    return 500; // 16 writers x 500 appends x 3 events on average: about 23,000 events
  }

  /** Called once writers run, to break the subscriber's connections; returns how many it broke. */
  int breakSubscriberWhile(CountDownLatch writersDone) throws Exception {
    writersDone.await();
    return 0;
  }

  @AfterEach
  void dropTables() {
    JdbcStores.dropTables(writerDataSource(), prefix);
  }

  @Test
  void aTailingSubscriberSeesEveryCommittedEventOnceInOrderUnderConcurrentWriters()
      throws Exception {
    JdbcEventStore writer = JdbcStores.create(dialect(), writerDataSource(), prefix);
    JdbcEventStore reader =
        JdbcStores.builder(dialect(), subscriberDataSource())
            .serializer(JdbcStores.contractSerializer())
            .tablePrefix(prefix)
            .pollInterval(java.time.Duration.ofMillis(20))
            .build();
    Map<UUID, String> committed = new ConcurrentHashMap<>();
    Set<UUID> rolledBack = ConcurrentHashMap.newKeySet();
    AtomicInteger heldOpen = new AtomicInteger();
    List<RecordedEvent> seen = new ArrayList<>();

    CountDownLatch writersDone = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(writers() + 1);
    try (Subscription subscription = reader.subscribeAll(1, seen::add)) {
      Future<Integer> breaker = pool.submit(() -> breakSubscriberWhile(writersDone));
      List<Future<?>> writers = new ArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      for (int w = 0; w < writers(); w++) {
        writers.add(
            pool.submit(
                () -> {
                  start.await();
                  write(writer, committed, rolledBack, heldOpen);
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> future : writers) {
        future.get(10, TimeUnit.MINUTES);
      }
      writersDone.countDown();
      int broken = breaker.get(1, TimeUnit.MINUTES);
      long last = writer.lastPosition();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (subscription.lastPosition() < last && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
      assertThat(subscription.failure()).isNull();
      org.slf4j.LoggerFactory.getLogger(getClass())
          .info("{} writer {}, reader {}", dialect(), writer.stats(), reader.stats());
      assertThat(subscription.lastPosition()).isEqualTo(last);
      afterRun(broken);
    } finally {
      pool.shutdownNow();
    }

    assertThat(writer.stats().largestGroup())
        .as("concurrent appends were written in groups")
        .isGreaterThan(1);
    assertThat(heldOpen).as("transactions held open").hasPositiveValue();
    assertThat(rolledBack).as("rolled back events").isNotEmpty();
    assertThat(committed.size()).as("committed events").isGreaterThanOrEqualTo(20_000);
    assertThat(seen).hasSize(committed.size());
    Map<String, Long> versions = new HashMap<>();
    Set<UUID> ids = new HashSet<>();
    for (int i = 0; i < seen.size(); i++) {
      RecordedEvent event = seen.get(i);
      assertThat(event.position()).as("dense global order").isEqualTo(i + 1L);
      assertThat(ids.add(event.eventId())).as("delivered once: %s", event.eventId()).isTrue();
      assertThat(committed).containsEntry(event.eventId(), event.stream());
      long previous = versions.getOrDefault(event.stream(), 0L);
      assertThat(event.version()).as("versions of %s", event.stream()).isEqualTo(previous + 1);
      versions.put(event.stream(), event.version());
    }
    assertThat(ids).doesNotContainAnyElementsOf(rolledBack);
  }

  /** Hook for assertions about the broken connections. */
  void afterRun(int broken) {}

  private void write(
      JdbcEventStore store,
      Map<UUID, String> committed,
      Set<UUID> rolledBack,
      AtomicInteger heldOpen)
      throws Exception {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < appendsPerWriter(); i++) {
      String stream = prefix + "s" + random.nextInt(STREAMS);
      List<NewEvent> events = new ArrayList<>();
      for (int e = 1 + random.nextInt(5); e > 0; e--) {
        events.add(NewEvent.of(new Deposited(stream, i)));
      }
      int kind = random.nextInt(40);
      if (kind == 0 || kind == 1) {
        boolean commit = kind == 0;
        try (Connection connection = writerDataSource().getConnection()) {
          connection.setAutoCommit(false);
          try {
            store.append(connection, stream, ExpectedVersion.any(), events);
          } catch (EventStoreException deadlockVictim) {
            // The database rolled the caller's transaction back: none of it may ever appear.
            connection.rollback();
            events.forEach(event -> rolledBack.add(event.eventId()));
            continue;
          }
          // Holds the transaction (and the position lock) open, then commits or rolls back.
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5 + random.nextInt(20)));
          if (commit) {
            connection.commit();
            heldOpen.incrementAndGet();
            events.forEach(event -> committed.put(event.eventId(), stream));
          } else {
            connection.rollback();
            events.forEach(event -> rolledBack.add(event.eventId()));
          }
        }
      } else {
        store.append(stream, ExpectedVersion.any(), events);
        events.forEach(event -> committed.put(event.eventId(), stream));
      }
    }
  }
}
