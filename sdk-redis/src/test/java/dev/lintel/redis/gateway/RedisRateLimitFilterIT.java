package dev.lintel.redis.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.core.gateway.Pipeline;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import dev.lintel.testing.Concurrently;
import dev.lintel.testing.TestServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Three nodes (three connections, three filters) sharing one bucket in the real Redis. */
class RedisRateLimitFilterIT {

  @Test
  void nodesSharingABucketNeverAdmitMoreThanTheLimit() throws Exception {
    RedisClient client = RedisClient.create(TestServers.redis().toString());
    List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
    try {
      String name = "it-" + UUID.randomUUID();
      List<Pipeline> nodes = new ArrayList<>();
      for (int n = 0; n < 3; n++) {
        StatefulRedisConnection<String, String> connection = client.connect();
        connections.add(connection);
        nodes.add(
            Pipeline.builder()
                .filter(
                    RedisRateLimitFilter.keyedBy(
                        connection, name, 50, 1.0, request -> "shared", true))
                .route("GET", "/", request -> Response.ok("ok"))
                .build());
      }
      AtomicInteger admitted = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      long start = System.nanoTime();

      Concurrently.run(
          12,
          thread -> {
            for (int i = 0; i < 25; i++) {
              Response response = nodes.get(thread % 3).handle(Request.of("GET", "/"));
              (response.status() == 200 ? admitted : refused).incrementAndGet();
              if (response.status() == 429) {
                assertThat(response.header("Retry-After")).isNotNull();
              }
            }
          });

      long elapsedSeconds = (System.nanoTime() - start) / 1_000_000_000L;
      assertThat(admitted.get())
          .as("burst of 50 plus 1 per second elapsed")
          .isBetween(50, 50 + (int) elapsedSeconds + 1);
      assertThat(admitted.get() + refused.get()).isEqualTo(300);
    } finally {
      connections.forEach(StatefulRedisConnection::close);
      client.shutdown();
    }
  }
}
