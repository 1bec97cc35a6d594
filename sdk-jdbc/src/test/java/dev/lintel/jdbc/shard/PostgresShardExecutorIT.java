package dev.lintel.jdbc.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lintel.core.shard.ShardKeyCodec;
import dev.lintel.core.shard.ShardRouters;
import dev.lintel.shard.Shard;
import dev.lintel.shard.ShardRouter;
import dev.lintel.shard.ShardStrategy;
import dev.lintel.shard.ShardingException;
import dev.lintel.shard.Topology;
import dev.lintel.testing.JdbcServer;
import dev.lintel.testing.TestServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shard executor on four real PostgreSQL databases (created on the test server): keyed work
 * lands on the routed database only, scatter-gather merges equal a single-database answer, and a
 * slow or failing shard is reported, never silently dropped.
 */
class PostgresShardExecutorIT {
  private static final List<String> SHARDS = List.of("s0", "s1", "s2", "s3");
  private static final Map<String, HikariDataSource> pools = new HashMap<>();
  private static ShardRouter<String> router;
  private static ShardExecutor<String> shards;
  private static final Map<String, Integer> amounts = new HashMap<>();

  record Order(String customer, int amount) {}

  @BeforeAll
  static void createShards() throws SQLException {
    JdbcServer server = TestServers.postgres();
    try (Connection admin = server.dataSource().getConnection();
        Statement statement = admin.createStatement()) {
      for (int i = 0; i < SHARDS.size(); i++) {
        try {
          statement.execute("CREATE DATABASE lintel_shard_" + i);
        } catch (SQLException e) {
          if (!"42P04".equals(e.getSQLState())) { // already exists
            throw e;
          }
        }
      }
    }
    ShardExecutor.Builder<String> builder;
    router =
        ShardRouters.create(
            Topology.of(
                1,
                SHARDS.stream().map(id -> Shard.of(id, "pg-" + id)).toList(),
                ShardStrategy.jump(SHARDS.toArray(String[]::new))),
            ShardKeyCodec.strings());
    builder = ShardExecutor.builder(router);
    for (int i = 0; i < SHARDS.size(); i++) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(server.url().replaceFirst("/[^/?]+(\\?|$)", "/lintel_shard_" + i + "$1"));
      config.setUsername(server.user());
      config.setPassword(server.password());
      config.setMaximumPoolSize(4);
      HikariDataSource pool = new HikariDataSource(config);
      pools.put(SHARDS.get(i), pool);
      builder.dataSource("pg-" + SHARDS.get(i), pool);
      try (Connection connection = pool.getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("DROP TABLE IF EXISTS orders");
        statement.execute(
            "CREATE TABLE orders (customer VARCHAR(50) PRIMARY KEY, amount INT NOT NULL)");
      }
    }
    shards = builder.strict("all-orders", "count", "slow", "broken").build();
    for (int c = 0; c < 200; c++) {
      String customer = "customer-" + c;
      int amount = (c * 7919) % 1_000;
      amounts.put(customer, amount);
      shards.onShardOf(
          customer,
          connection -> {
            try (PreparedStatement insert =
                connection.prepareStatement("INSERT INTO orders VALUES (?, ?)")) {
              insert.setString(1, customer);
              insert.setInt(2, amount);
              return insert.executeUpdate();
            }
          });
    }
  }

  @AfterAll
  static void close() {
    shards.close();
    pools.values().forEach(HikariDataSource::close);
  }

  private static List<Order> orders(Connection connection, String sql) throws SQLException {
    List<Order> orders = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        orders.add(new Order(rows.getString(1), rows.getInt(2)));
      }
    }
    return orders;
  }

  @Test
  void keyedWorkLandsOnTheRoutedDatabaseOnly() throws SQLException {
    for (String shard : SHARDS) {
      try (Connection connection = pools.get(shard).getConnection()) {
        for (Order order : orders(connection, "SELECT customer, amount FROM orders")) {
          assertThat(router.route(order.customer())).as(order.customer()).isEqualTo(shard);
        }
      }
    }
    List<Order> found =
        shards.onShardOf(
            "customer-42",
            c -> orders(c, "SELECT customer, amount FROM orders WHERE customer = 'customer-42'"));
    assertThat(found).containsExactly(new Order("customer-42", amounts.get("customer-42")));
  }

  @Test
  void scatterGatherEqualsTheAnswerOfOneDatabase() {
    Comparator<Order> byAmountThenCustomer =
        Comparator.comparingInt(Order::amount).thenComparing(Order::customer);
    List<Order> everything =
        amounts.entrySet().stream()
            .map(e -> new Order(e.getKey(), e.getValue()))
            .sorted(byAmountThenCustomer)
            .toList();
    int offset = 40;
    int limit = 15;
    int perShard = ShardMerge.perShardLimit(offset, limit);

    ScatterResult<List<Order>> page =
        shards
            .scatter(
                "all-orders",
                c ->
                    orders(
                        c,
                        "SELECT customer, amount FROM orders ORDER BY amount, customer LIMIT "
                            + perShard))
            .run();
    ScatterResult<Long> counts =
        shards
            .scatter(
                "count",
                c -> {
                  try (Statement s = c.createStatement();
                      ResultSet r = s.executeQuery("SELECT count(*) FROM orders")) {
                    r.next();
                    return r.getLong(1);
                  }
                })
            .run();

    assertThat(page.isComplete()).isTrue();
    assertThat(page.answers()).containsOnlyKeys(SHARDS);
    assertThat(ShardMerge.page(page, byAmountThenCustomer, offset, limit))
        .isEqualTo(everything.subList(offset, offset + limit));
    assertThat(ShardMerge.sum(counts)).isEqualTo(200);
  }

  @Test
  void aSlowShardTimesOutAndIsReportedNotDropped() {
    long started = System.nanoTime();
    ScatterResult<Integer> result =
        shards
            .scatter("slow", c -> sleepOn(c, "s2", 10))
            .perShardTimeout(Duration.ofMillis(500))
            .allowPartial()
            .run();

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(result.isComplete()).isFalse();
    assertThat(result.timedOut()).containsExactly("s2");
    assertThat(result.answers()).containsOnlyKeys("s0", "s1", "s3");

    assertThatThrownBy(
            () ->
                shards
                    .scatter("slow", c -> sleepOn(c, "s2", 10))
                    .perShardTimeout(Duration.ofMillis(500))
                    .run())
        .isInstanceOfSatisfying(
            ScatterException.class,
            e -> assertThat(e.partial().answers()).containsOnlyKeys("s0", "s1", "s3"))
        .hasMessageContaining("'slow' is incomplete")
        .hasMessageContaining("timed out on [s2]");
  }

  @Test
  void theDeadlineEndsTheWholeCall() {
    long started = System.nanoTime();
    ScatterResult<Integer> result =
        shards
            .scatter("slow", c -> sleepOn(c, null, 10))
            .perShardTimeout(Duration.ofSeconds(30))
            .deadline(Duration.ofMillis(700))
            .allowPartial()
            .run();

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(result.timedOut()).containsExactlyElementsOf(SHARDS);
    assertThat(result.answers()).isEmpty();
  }

  @Test
  void aFailingShardIsNamedAndTheOthersAnswersKept() {
    ScatterResult<Integer> result =
        shards
            .scatter(
                "broken",
                c -> {
                  try (Statement s = c.createStatement();
                      ResultSet r =
                          s.executeQuery(
                              "SELECT 1 / (current_database() <> 'lintel_shard_1')::int")) {
                    r.next();
                    return r.getInt(1);
                  }
                })
            .allowPartial()
            .run();

    assertThat(result.failures()).containsOnlyKeys("s1");
    assertThat(result.failures().get("s1"))
        .hasMessageContaining("shard 's1'")
        .hasMessageContaining("division by zero");
    assertThat(result.answers()).containsOnlyKeys("s0", "s2", "s3");
  }

  @Test
  void strictModeRefusesAScatterQueryThatWasNotAllowed() {
    assertThatThrownBy(() -> shards.scatter("surprise", c -> 1))
        .isInstanceOf(ShardingException.class)
        .hasMessageContaining("'surprise' is refused")
        .hasMessageContaining("[all-orders, count, slow, broken]");
    assertThat(shards.scatter("count", c -> 1L).onShards(Set.of("s1")).run().answers())
        .containsOnlyKeys("s1");
  }

  private static int sleepOn(Connection connection, String shardOrAll, int seconds)
      throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet db = statement.executeQuery("SELECT current_database()")) {
      db.next();
      boolean sleep =
          shardOrAll == null || db.getString(1).equals("lintel_shard_" + shardOrAll.substring(1));
      if (sleep) {
        statement.execute("SELECT pg_sleep(" + seconds + ")");
      }
      return seconds;
    }
  }
}
