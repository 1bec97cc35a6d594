package dev.lintel.redis.pipeline;

import dev.lintel.redis.RedisConnector;
import dev.lintel.testing.TestServers;
import io.lettuce.core.RedisURI;
import java.time.Duration;

/**
 * The Redis Streams pipeline tests on the test Redis Cluster: three nodes, each with a cluster
 * connector, share a stream through one consumer group; the killed node's pending entries are
 * claimed, poison entries dead-lettered after the delivery cap. The stream, its dead-letter stream
 * and its error hash carry no hash tag, so they live in different slots.
 */
class ClusterStreamPipelineIT extends RedisStreamPipelineIT {

  @Override
  RedisConnector.Builder builder() {
    return RedisConnector.cluster(RedisURI.create(TestServers.redisCluster().toString()))
        .topologyRefresh(Duration.ofSeconds(1));
  }

  @Override
  int entries() {
    return 20_000; // the same path as the standalone test's 100,000, on a shared 2-core machine
  }
}
