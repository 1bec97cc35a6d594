package dev.lintel.redis.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.core.health.HealthRegistry;
import dev.lintel.health.Health;
import dev.lintel.health.HealthGroup;
import dev.lintel.health.HealthReport;
import dev.lintel.health.HealthStatus;
import dev.lintel.testing.RedisServerProcess;
import dev.lintel.testing.TestServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Redis health against the real Redis, and against a private Redis killed mid-test. */
class RedisHealthCheckIT {

  @Test
  void runningRedisIsUp() throws Exception {
    RedisClient client = RedisClient.create(TestServers.redis().toString());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      assertThat(RedisHealthCheck.using(connection).check()).isEqualTo(Health.up());
    } finally {
      client.shutdown();
    }
  }

  @Test
  void killedRedisIsDownAndUpAgainAfterRestart() throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.startOnFreePort();
        HealthRegistry registry = HealthRegistry.create(Duration.ofSeconds(3))) {
      RedisClient client = RedisClient.create(redis.uri().toString());
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        registry.register(
            "redis",
            Set.of(HealthGroup.READINESS),
            RedisHealthCheck.using(connection, Duration.ofMillis(500)));
        assertThat(registry.report(HealthGroup.READINESS).status()).isEqualTo(HealthStatus.UP);

        redis.kill();

        HealthReport.CheckOutcome down = registry.report(HealthGroup.READINESS).check("redis");
        assertThat(down.status()).isEqualTo(HealthStatus.DOWN);

        redis.start();
        assertThat(eventually(() -> registry.report(HealthGroup.READINESS).status()))
            .isEqualTo(HealthStatus.UP);
      } finally {
        client.shutdown();
      }
    }
  }

  /** Polls until UP or 20 s pass: Lettuce reconnects with backoff after the restart. */
  private static HealthStatus eventually(java.util.function.Supplier<HealthStatus> status) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    HealthStatus last = status.get();
    while (last != HealthStatus.UP && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
      last = status.get();
    }
    return last;
  }
}
