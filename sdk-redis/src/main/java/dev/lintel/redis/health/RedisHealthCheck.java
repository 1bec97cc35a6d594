package dev.lintel.redis.health;

import dev.lintel.health.Health;
import dev.lintel.health.HealthCheck;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Checks Redis by sending {@code PING} on the host's Lettuce connection. UP when {@code PONG} comes
 * back within the timeout; DOWN at once when the connection is closed or reconnecting (Lettuce
 * would otherwise queue the command until it reconnects), and DOWN when the answer is late or an
 * error.
 *
 * <pre>{@code
 * lintel.health().register("redis", Set.of(HealthGroup.READINESS), RedisHealthCheck.using(connection));
 * }</pre>
 *
 * Thread-safe, as Lettuce connections are.
 */
public final class RedisHealthCheck implements HealthCheck {
  private final StatefulConnection<?, ?> connection;
  private final Supplier<RedisFuture<String>> ping;
  private final Duration timeout;

  private RedisHealthCheck(
      StatefulConnection<?, ?> connection, Supplier<RedisFuture<String>> ping, Duration timeout) {
    this.connection = connection;
    this.ping = ping;
    this.timeout = timeout;
  }

  /**
   * Checks Redis over the given connection, waiting at most one second for {@code PONG}.
   *
   * @param connection an open connection the host owns; the check never closes it
   * @return the check
   */
  public static RedisHealthCheck using(StatefulRedisConnection<?, ?> connection) {
    return using(connection, Duration.ofSeconds(1));
  }

  /**
   * Checks Redis over the given connection with the given timeout.
   *
   * @param connection an open connection the host owns; the check never closes it
   * @param timeout how long to wait for {@code PONG}
   * @return the check
   * @throws IllegalArgumentException if the timeout is not positive
   */
  public static RedisHealthCheck using(StatefulRedisConnection<?, ?> connection, Duration timeout) {
    Objects.requireNonNull(connection, "connection");
    return new RedisHealthCheck(connection, () -> connection.async().ping(), positive(timeout));
  }

  /**
   * Checks a Redis Cluster over the given cluster connection (the {@code PING} goes to the node
   * Lettuce uses for key-less commands), waiting at most one second for {@code PONG}.
   *
   * @param connection an open cluster connection the host owns; the check never closes it
   * @return the check
   */
  public static RedisHealthCheck using(StatefulRedisClusterConnection<?, ?> connection) {
    Objects.requireNonNull(connection, "connection");
    return new RedisHealthCheck(connection, () -> connection.async().ping(), Duration.ofSeconds(1));
  }

  private static Duration positive(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive but was " + timeout);
    }
    return timeout;
  }

  @Override
  public Health check() throws InterruptedException {
    if (!connection.isOpen()) {
      return Health.down("connection to Redis is not open");
    }
    try {
      String reply = ping.get().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return "PONG".equals(reply) ? Health.up() : Health.down("unexpected PING reply: " + reply);
    } catch (TimeoutException e) {
      return Health.down("no PONG within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return Health.down(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
  }
}
