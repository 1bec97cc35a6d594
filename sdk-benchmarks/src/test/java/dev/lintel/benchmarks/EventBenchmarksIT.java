package dev.lintel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.testing.TestServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

/** Keeps the event benchmarks honest: every variant does the same work on the real PostgreSQL. */
class EventBenchmarksIT {

  @Test
  void readVariantsReadTheSameEventsAndLoadsAgree() throws SQLException {
    TestServers.postgres();
    EventReadBenchmark benchmark = new EventReadBenchmark();
    benchmark.setUp();
    try {
      Blackhole blackhole =
          new Blackhole(
              "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
      assertThat(benchmark.lintelReadAll()).hasSize(EventReadBenchmark.EVENTS);
      assertThat(benchmark.rawJdbcReadAll(blackhole)).isEqualTo(EventReadBenchmark.EVENTS);
      assertThat(benchmark.aggregateLoadFromSnapshot())
          .isEqualTo(benchmark.aggregateLoadFullReplay())
          .isEqualTo(EventReadBenchmark.AGGREGATE_EVENTS);
    } finally {
      benchmark.tearDown();
    }
  }

  @Test
  void appendVariantsEachWriteTheirEvents() throws SQLException {
    TestServers.postgres();
    EventAppendBenchmark benchmark = new EventAppendBenchmark();
    benchmark.setUp();
    try {
      assertThat(benchmark.lintelSingle().count()).isEqualTo(1);
      assertThat(benchmark.lintelBatch100().count()).isEqualTo(100);
      benchmark.axonSingle();
      benchmark.axonBatch100();
      assertThat(benchmark.rawJdbcSingle()).isEqualTo(1);
      assertThat(benchmark.rawJdbcBatch100()).isEqualTo(100);
      assertThat(countRows("domainevententry")).isEqualTo(101);
      assertThat(countRows("bench_raw_events")).isEqualTo(101);
      assertThat(countRows("bench_append_events")).isEqualTo(101);
    } finally {
      benchmark.tearDown();
    }
  }

  private static long countRows(String table) throws SQLException {
    try (Connection connection = TestServers.postgres().dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet count = statement.executeQuery("SELECT count(*) FROM " + table)) {
      count.next();
      return count.getLong(1);
    }
  }
}
