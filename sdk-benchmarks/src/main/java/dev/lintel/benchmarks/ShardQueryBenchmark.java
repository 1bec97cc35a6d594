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
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.shardingsphere.driver.api.ShardingSphereDataSourceFactory;
import org.apache.shardingsphere.infra.algorithm.core.config.AlgorithmConfiguration;
import org.apache.shardingsphere.sharding.api.config.ShardingRuleConfiguration;
import org.apache.shardingsphere.sharding.api.config.rule.ShardingTableRuleConfiguration;
import org.apache.shardingsphere.sharding.api.config.strategy.sharding.StandardShardingStrategyConfiguration;
import org.apache.shardingsphere.sharding.api.sharding.standard.PreciseShardingValue;
import org.apache.shardingsphere.sharding.api.sharding.standard.RangeShardingValue;
import org.apache.shardingsphere.sharding.api.sharding.standard.StandardShardingAlgorithm;
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
 *       selects submitted by hand to an executor of 8 threads and merged by hand;
 *   <li>{@code shardingSphereSingleShard} and {@code shardingSphereScatter4}: the same two queries
 *       through an Apache ShardingSphere-JDBC {@link DataSource} over the same four pools, the
 *       logical table {@code bench_orders} sharded by {@code id} with a standard strategy whose
 *       algorithm ({@link JumpShardingAlgorithm}) puts each order where Lintel's router does. The
 *       scatter query goes to ShardingSphere unchanged: it routes it to all four shards and merges
 *       the ORDER BY ... LIMIT itself.
 * </ul>
 *
 * <p>Set-up checks that ShardingSphere reads every key's order as raw JDBC does and the same top 10
 * as Lintel.
 *
 * <pre>
 * scripts/with-services.sh java -jar sdk-benchmarks/target/benchmarks.jar ShardQueryBenchmark -f 1 -wi 2 -w 1s -i 3 -r 1s
 * scripts/with-services.sh java -jar sdk-benchmarks/target/benchmarks.jar 'ShardQueryBenchmark.(lintel|rawJdbc|shardingSphere)SingleShard' -f 1 -wi 2 -w 2s -i 3 -r 2s
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
  private DataSource shardingSphere;
  private ExecutorService handPool;
  private int next;

  @Setup
  public void setUp() throws SQLException {
    ShardRouter<String> router = router();
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
    shardingSphere = shardingSphere(pools);
    checkShardingSphere();
  }

  /**
   * Lintel's router over the four shards {@code s0..s3}: jump hash over the XXH64 of the key's
   * UTF-8 bytes. Shard {@code s<i>} is the database {@code lintel_bench_shard_<i>}.
   */
  static ShardRouter<String> router() {
    List<Shard> list = new ArrayList<>();
    String[] ids = new String[SHARDS];
    for (int i = 0; i < SHARDS; i++) {
      ids[i] = "s" + i;
      list.add(Shard.of(ids[i], "db" + i));
    }
    return ShardRouters.create(
        Topology.of(1, list, ShardStrategy.jump(ids)), ShardKeyCodec.strings());
  }

  /**
   * A ShardingSphere-JDBC data source configured through its Java API: the four pools as data
   * sources {@code ds_0..ds_3}, the logical table {@code bench_orders} on {@code
   * ds_${0..3}.bench_orders}, a standard database sharding strategy on {@code id} with a {@code
   * CLASS_BASED} algorithm (ShardingSphere's way to plug in a user's own class), no table sharding,
   * the default mode (standalone, in-memory metadata) and default properties.
   */
  private static DataSource shardingSphere(List<HikariDataSource> pools) throws SQLException {
    Map<String, DataSource> dataSources = new LinkedHashMap<>();
    for (int i = 0; i < pools.size(); i++) {
      dataSources.put("ds_" + i, pools.get(i));
    }
    ShardingTableRuleConfiguration orders =
        new ShardingTableRuleConfiguration(
            "bench_orders", "ds_${0.." + (pools.size() - 1) + "}.bench_orders");
    orders.setDatabaseShardingStrategy(new StandardShardingStrategyConfiguration("id", "jump"));
    Properties algorithm = new Properties();
    algorithm.setProperty("strategy", "STANDARD");
    algorithm.setProperty("algorithmClassName", JumpShardingAlgorithm.class.getName());
    ShardingRuleConfiguration rules = new ShardingRuleConfiguration();
    rules.getTables().add(orders);
    rules.getShardingAlgorithms().put("jump", new AlgorithmConfiguration("CLASS_BASED", algorithm));
    return ShardingSphereDataSourceFactory.createDataSource(
        "lintel_bench", null, dataSources, List.of(rules), new Properties());
  }

  /** Fails set-up unless ShardingSphere finds every order where raw JDBC does. */
  private void checkShardingSphere() throws SQLException {
    for (int k = 0; k < KEYS; k++) {
      Order expected;
      try (Connection connection = pools.get(shardOfKey[k]).getConnection()) {
        expected = selectOne(connection, keys[k]);
      }
      Order actual;
      try (Connection connection = shardingSphere.getConnection()) {
        actual = selectOne(connection, keys[k]);
      }
      if (!expected.equals(actual)) {
        throw new IllegalStateException(
            "ShardingSphere read " + actual + " for " + keys[k] + ", expected " + expected);
      }
    }
    List<Order> expected = lintelScatter4();
    List<Order> actual = shardingSphereScatter4();
    if (!expected.equals(actual)) {
      throw new IllegalStateException(
          "ShardingSphere's top " + TOP + " is " + actual + ", expected " + expected);
    }
  }

  @TearDown
  public void tearDown() throws Exception {
    shards.close();
    handPool.shutdownNow();
    if (shardingSphere instanceof AutoCloseable closeable) {
      closeable.close(); // closes the pools too
    }
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
  public Order shardingSphereSingleShard() throws SQLException {
    String key = keys[nextKey()];
    try (Connection connection = shardingSphere.getConnection()) {
      return selectOne(connection, key);
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

  @Benchmark
  public List<Order> shardingSphereScatter4() throws SQLException {
    try (Connection connection = shardingSphere.getConnection()) {
      return selectTop(connection);
    }
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

  /**
   * The standard sharding algorithm a ShardingSphere user would write to keep Lintel's layout: the
   * shard of an {@code id} is the one Lintel's jump-hash router names ({@link #router()}), {@code
   * s<i>} being data source {@code ds_<i>}. It calls the router instead of copying its arithmetic
   * (XXH64 of the key's UTF-8 bytes, then Lamping and Veach's jump loop), so rows are where Lintel
   * put them by construction and both sides pay the same routing cost per query; a range condition
   * cannot be narrowed by a hash and goes to every shard. ShardingSphere creates it by reflection
   * ({@code CLASS_BASED}, {@code algorithmClassName}), once per rule.
   */
  public static final class JumpShardingAlgorithm implements StandardShardingAlgorithm<String> {
    private final ShardRouter<String> router = router();

    /** Called by ShardingSphere, by reflection. */
    public JumpShardingAlgorithm() {}

    @Override
    public String doSharding(
        Collection<String> availableTargetNames, PreciseShardingValue<String> shardingValue) {
      return "ds_" + router.route(shardingValue.getValue()).substring(1);
    }

    @Override
    public Collection<String> doSharding(
        Collection<String> availableTargetNames, RangeShardingValue<String> shardingValue) {
      return availableTargetNames;
    }
  }
}
