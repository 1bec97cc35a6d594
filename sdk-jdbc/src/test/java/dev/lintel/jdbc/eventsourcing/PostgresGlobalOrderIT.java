package dev.lintel.jdbc.eventsourcing;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.lintel.testing.JdbcServer;
import dev.lintel.testing.TestServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The global-order proof on PostgreSQL, with the subscriber's backend connections terminated with
 * {@code pg_terminate_backend} again and again while the writers run: it must resume from its
 * position without losing or repeating an event. Writers share a pool (as a host's would; a new
 * connection per append made this test take minutes); the subscriber opens a new connection per
 * read, so every termination is followed by a real reconnect.
 */
class PostgresGlobalOrderIT extends GlobalOrderProof {
  private static HikariDataSource writers;
  private final JdbcServer postgres = TestServers.postgres();
  private final String subscriberName = "lintel-subscriber-" + UUID.randomUUID();
  private final DataSource subscriber =
      new JdbcServer(
              "PostgreSQL",
              postgres.url()
                  + (postgres.url().contains("?") ? "&" : "?")
                  + "ApplicationName="
                  + subscriberName,
              postgres.user(),
              postgres.password())
          .dataSource();

  @BeforeAll
  static void openPool() {
    // The writers, the held-open transactions' connections and the terminating admin connection.
    writers = JdbcStores.pooled(TestServers.postgres(), WRITERS + 4, "global-order-writers");
  }

  @AfterAll
  static void closePool() {
    writers.close();
  }

  @Override
  JdbcDialect dialect() {
    return JdbcDialect.POSTGRES;
  }

  @Override
  DataSource writerDataSource() {
    return writers;
  }

  @Override
  DataSource subscriberDataSource() {
    return subscriber;
  }

  @Override
  int breakSubscriberWhile(CountDownLatch writersDone) throws Exception {
    int terminated = 0;
    try (Connection admin = writers.getConnection();
        PreparedStatement kill =
            admin.prepareStatement(
                "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE application_name = ?) killed")) {
      kill.setString(1, subscriberName);
      while (!writersDone.await(150, TimeUnit.MILLISECONDS)) {
        try (ResultSet killed = kill.executeQuery()) {
          killed.next();
          terminated += killed.getInt(1);
        }
      }
    }
    return terminated;
  }

  @Override
  void afterRun(int broken) {
    assertThat(broken).as("subscriber connections terminated").isPositive();
  }
}
