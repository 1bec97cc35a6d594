package dev.lintel.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lintel.core.shard.ShardKeyCodec;
import dev.lintel.core.shard.ShardRouters;
import dev.lintel.jdbc.shard.ShardExecutor;
import dev.lintel.jdbc.shard.ShardMerge;
import dev.lintel.shard.Shard;
import dev.lintel.shard.ShardRouter;
import dev.lintel.shard.ShardStrategy;
import dev.lintel.shard.Topology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

/**
 * Queries on four PostgreSQL databases ({@code lintel_bench_shard_0..3}, created on the test server
 * when missing), each holding its part of 8,000 orders routed by jump hash:
 *
 * <ul>
 *   <li>{@code lintelSingleShard}: a select by primary key through {@link ShardExecutor#onShardOf};
 *       {@code rawJdbcSingleShard}: the same prepared select on the right pool, chosen by hand from
 *       a precomputed table;
 *   <li>{@code lintelScatter4}: the ten largest orders of all shards through {@link
 *       ShardExecutor#scatter} and {@link ShardMerge#page}; {@code rawJdbcScatter4}: the same four
 *       selects submitted by hand to an executor of 8 threads and merged by hand.
 * </ul>
 *
 * <pre>
 * scripts/with-services.sh java -jar sdk-benchmarks/target/benchmarks.jar ShardQueryBenchmark -f 1 -wi 2 -w 1s -i 3 -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ShardQueryBenchmark {
  static final int SHARDS = 4;
  static final int ORDERS = 8_000;
  static final int KEYS = 1_024;
  static final int TOP = 10;
  private static final String SELECT_ONE = "SELECT customer, amount FROM bench_orders WHERE id = ?";
  private static final String SELECT_TOP =
      "SELECT customer, amount FROM bench_orders ORDER BY amount DESC, customer LIMIT " + TOP;
  private static final Comparator<Order> LARGEST_FIRST =
      Comparator.comparingInt(Order::amount).reversed().thenComparing(Order::customer);

  /** A row of the orders table. */
  public record Order(String customer, int amount) {}

  private final List<HikariDataSource> pools = new ArrayList<>();
  private final String[] keys = new String[KEYS];
  private final int[] shardOfKey = new int[KEYS];
  private ShardExecutor<String> shards;
  private ExecutorService handPool;
  private int next;

  @Setup
  public void setUp() throws SQLException {
    List<Shard> list = new ArrayList<>();
    String[] ids = new String[SHARDS];
    for (int i = 0; i < SHARDS; i++) {
      ids[i] = "s" + i;
      list.add(Shard.of(ids[i], "db" + i));
    }
    ShardRouter<String> router =
        ShardRouters.create(Topology.of(1, list, ShardStrategy.jump(ids)), ShardKeyCodec.strings());
    ShardExecutor.Builder<String> builder = ShardExecutor.builder(router);
    try (HikariDataSource admin = BenchmarkDatabase.pool(1)) {
      for (int i = 0; i < SHARDS; i++) {
        String database = "lintel_bench_shard_" + i;
        try (Connection connection = admin.getConnection();
            Statement statement = connection.createStatement()) {
          statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
          if (!"42P04".equals(e.getSQLState())) { // already exists
            throw e;
          }
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(admin.getJdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1"));
        config.setUsername(admin.getUsername());
        config.setPassword(admin.getPassword());
        config.setMaximumPoolSize(4);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        builder.dataSource("db" + i, pool);
        BenchmarkDatabase.execute(
            pool,
            "DROP TABLE IF EXISTS bench_orders",
            "CREATE TABLE bench_orders (id VARCHAR(40) PRIMARY KEY, customer VARCHAR(40) NOT NULL,"
                + " amount INT NOT NULL)");
      }
    }
    List<List<String>> idsByShard = new ArrayList<>();
    for (int i = 0; i < SHARDS; i++) {
      idsByShard.add(new ArrayList<>());
    }
    for (int o = 0; o < ORDERS; o++) {
      String id = "order-" + o;
      idsByShard.get(Integer.parseInt(router.route(id).substring(1))).add(id);
    }
    for (int i = 0; i < SHARDS; i++) {
      try (Connection connection = pools.get(i).getConnection();
          PreparedStatement insert =
              connection.prepareStatement("INSERT INTO bench_orders VALUES (?, ?, ?)")) {
        for (String id : idsByShard.get(i)) {
          int n = Integer.parseInt(id.substring("order-".length()));
          insert.setString(1, id);
          insert.setString(2, "customer-" + (n % 500));
          insert.setInt(3, (n * 7919) % 100_000);
          insert.addBatch();
        }
        insert.executeBatch();
      }
      BenchmarkDatabase.execute(pools.get(i), "ANALYZE bench_orders");
    }
    for (int k = 0; k < KEYS; k++) {
      keys[k] = "order-" + (k * 7 % ORDERS);
      shardOfKey[k] = Integer.parseInt(router.route(keys[k]).substring(1));
    }
    shards = builder.strict("top-orders").build();
    handPool = Executors.newFixedThreadPool(SHARDS * 2);
  }

  @TearDown
  public void tearDown() {
    shards.close();
    handPool.shutdownNow();
    pools.forEach(HikariDataSource::close);
  }

  private int nextKey() {
    next = (next + 1) & (KEYS - 1);
    return next;
  }

  @Benchmark
  public Order lintelSingleShard() {
    String key = keys[nextKey()];
    return shards.onShardOf(key, connection -> selectOne(connection, key));
  }

  @Benchmark
  public Order rawJdbcSingleShard() throws SQLException {
    int k = nextKey();
    try (Connection connection = pools.get(shardOfKey[k]).getConnection()) {
      return selectOne(connection, keys[k]);
    }
  }

  @Benchmark
  public List<Order> lintelScatter4() {
    return ShardMerge.page(
        shards.scatter("top-orders", ShardQueryBenchmark::selectTop).run(), LARGEST_FIRST, 0, TOP);
  }

  @Benchmark
  public List<Order> rawJdbcScatter4() throws InterruptedException, ExecutionException {
    List<Future<List<Order>>> futures = new ArrayList<>(SHARDS);
    for (HikariDataSource pool : pools) {
      futures.add(
          handPool.submit(
              () -> {
                try (Connection connection = pool.getConnection()) {
                  return selectTop(connection);
                }
              }));
    }
    List<Order> all = new ArrayList<>(SHARDS * TOP);
    for (Future<List<Order>> future : futures) {
      all.addAll(future.get());
    }
    all.sort(LARGEST_FIRST);
    return all.subList(0, Math.min(TOP, all.size()));
  }

  private static Order selectOne(Connection connection, String key) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SELECT_ONE)) {
      select.setString(1, key);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return new Order(row.getString(1), row.getInt(2));
      }
    }
  }

  private static List<Order> selectTop(Connection connection) throws SQLException {
    List<Order> top = new ArrayList<>(TOP);
    try (PreparedStatement select = connection.prepareStatement(SELECT_TOP);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        top.add(new Order(rows.getString(1), rows.getInt(2)));
      }
    }
    return top;
  }
}
