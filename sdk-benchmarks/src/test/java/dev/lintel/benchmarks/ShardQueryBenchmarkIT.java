package dev.lintel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.benchmarks.ShardQueryBenchmark.Order;
import dev.lintel.testing.TestServers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps the shard benchmarks honest: Lintel, raw JDBC and ShardingSphere-JDBC read the same orders
 * from the four PostgreSQL shards.
 */
class ShardQueryBenchmarkIT {

  @Test
  void everyVariantReadsTheSameOrders() throws Exception {
    TestServers.postgres();
    ShardQueryBenchmark benchmark = new ShardQueryBenchmark();
    benchmark.setUp();
    try {
      // Each call takes the next of KEYS keys, so KEYS calls of each variant read the same keys.
      List<Order> lintel = new ArrayList<>();
      List<Order> raw = new ArrayList<>();
      List<Order> shardingSphere = new ArrayList<>();
      for (int k = 0; k < ShardQueryBenchmark.KEYS; k++) {
        lintel.add(benchmark.lintelSingleShard());
      }
      for (int k = 0; k < ShardQueryBenchmark.KEYS; k++) {
        raw.add(benchmark.rawJdbcSingleShard());
      }
      for (int k = 0; k < ShardQueryBenchmark.KEYS; k++) {
        shardingSphere.add(benchmark.shardingSphereSingleShard());
      }
      assertThat(lintel).hasSize(ShardQueryBenchmark.KEYS).isEqualTo(raw).isEqualTo(shardingSphere);

      List<Order> top = benchmark.lintelScatter4();
      assertThat(top)
          .hasSize(ShardQueryBenchmark.TOP)
          .isSortedAccordingTo(Comparator.comparingInt(Order::amount).reversed())
          .isEqualTo(benchmark.rawJdbcScatter4())
          .isEqualTo(benchmark.shardingSphereScatter4());
    } finally {
      benchmark.tearDown();
    }
  }
}
