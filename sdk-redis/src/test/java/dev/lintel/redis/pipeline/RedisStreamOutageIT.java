package dev.lintel.redis.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.pipeline.PipelineException;
import dev.lintel.pipeline.PipelineProgress;
import dev.lintel.pipeline.Sink;
import dev.lintel.redis.RedisConnector;
import dev.lintel.testing.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stream source rides through a Redis that stops answering for a while ({@code CLIENT PAUSE} on a
 * private server, longer than the connector's command timeout): with the default outage tolerance
 * every entry is still processed once the server answers again; with none the pipeline fails on the
 * first timed-out read.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RedisStreamOutageIT {
  private static final int ENTRIES = 2_000;
  private static final String STREAM = "outage-it";

  private RedisServerProcess redis;
  private Admin admin;
  private RedisConnector connector;

  /** A private server with the stream filled, the test's own connection and an impatient one. */
  @BeforeEach
  void startRedis() throws IOException {
    redis = RedisServerProcess.startOnFreePort();
    admin = new Admin(redis);
    admin.fill();
    connector = impatient(redis);
  }

  @AfterEach
  void stopRedis() {
    connector.close();
    admin.close();
    redis.close();
  }

  @Test
  void readsAreRetriedThroughAnOutageAndEveryEntryIsProcessed() throws Exception {
    AckingRun run = pausedRun(Duration.ofSeconds(30)); // the default

    PipelineProgress result = run.pipeline.awaitCompletion();

    assertThat(run.seen).hasSize(ENTRIES);
    assertThat(result.processed()).isEqualTo(run.deliveries.sum()).isGreaterThanOrEqualTo(ENTRIES);
    assertThat(admin.commands.xpending(STREAM, "importers").getCount()).isZero();
  }

  @Test
  void withNoToleranceTheFirstFailedCommandFailsThePipeline() throws Exception {
    AckingRun run = pausedRun(Duration.ZERO);

    assertThatThrownBy(run.pipeline::awaitCompletion)
        .isInstanceOf(PipelineException.class)
        .hasRootCauseInstanceOf(RedisCommandTimeoutException.class);
    assertThat(run.seen).hasSizeLessThan(ENTRIES);
  }

  /**
   * A pipeline over the filled stream whose acknowledging sink takes 200 µs an entry, started, and
   * the server paused for 2 s (four times the command timeout) once 200 entries are through.
   */
  private AckingRun pausedRun(Duration tolerance) {
    RedisStreamSource source =
        RedisStreamSource.using(connector, STREAM, "importers", "node-1")
            .readCount(10)
            .lease(Duration.ofSeconds(2)) // entries of a read whose reply was lost: back soon
            .endWhenDrained(true)
            .outageTolerance(tolerance)
            .build();
    AckingRun run = new AckingRun(source, Duration.ofNanos(200_000), 200);
    admin.pause(Duration.ofSeconds(2));
    return run;
  }

  @Test
  void aReadThatRedisFailsIsRetriedUntilItAnswers() throws Exception {
    try (RedisStreamSource source =
        RedisStreamSource.using(connector, STREAM, "importers", "node-1")
            .readCount(10)
            .lease(Duration.ofSeconds(2))
            .build()) {
      Set<String> read = ConcurrentHashMap.newKeySet();
      Sink<StreamEntry> acknowledge = source.acking(entry -> read.add(entry.id()));
      for (int i = 0; i < 10; i++) {
        acknowledge.accept(source.read()); // the first read's ten entries
      }

      admin.pause(Duration.ofSeconds(2)); // the next read must go to Redis, and times out
      long pausedAt = System.nanoTime();
      long deadline = pausedAt + TimeUnit.SECONDS.toNanos(60);
      while (read.size() < ENTRIES && System.nanoTime() < deadline) {
        // a read whose reply a timeout lost left its entries pending: the claim brings them back
        acknowledge.accept(source.read());
      }

      assertThat(read).hasSize(ENTRIES);
      assertThat(System.nanoTime() - pausedAt).isGreaterThan(TimeUnit.SECONDS.toNanos(1));
    }
  }

  @Test
  void withNoToleranceAReadThatRedisFailsThrows() throws Exception {
    try (RedisStreamSource source =
        RedisStreamSource.using(connector, STREAM, "importers", "node-1")
            .readCount(10)
            .outageTolerance(Duration.ZERO)
            .build()) {
      for (int i = 0; i < 10; i++) {
        source.read();
      }

      admin.pause(Duration.ofSeconds(2));

      assertThatThrownBy(source::read).isInstanceOf(RedisCommandTimeoutException.class);
    }
  }

  /** A connector whose commands time out after 500 ms. */
  private static RedisConnector impatient(RedisServerProcess redis) {
    return RedisConnector.standalone(RedisURI.create(redis.uri()))
        .commandTimeout(Duration.ofMillis(500))
        .connect();
  }

  /** The test's own connection to the private server. */
  private static final class Admin implements AutoCloseable {
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    final RedisCommands<String, String> commands;

    Admin(RedisServerProcess redis) {
      this.client = RedisClient.create(RedisURI.create(redis.uri()));
      this.connection = client.connect();
      this.commands = connection.sync();
    }

    private void fill() {
      for (int n = 0; n < ENTRIES; n++) {
        commands.xadd(STREAM, Map.of("n", Integer.toString(n)));
      }
    }

    /** Stops the server answering every client, this one included, for a while. */
    void pause(Duration length) {
      commands.clientPause(length.toMillis());
    }

    @Override
    public void close() {
      connection.close();
      client.shutdown();
    }
  }
}
