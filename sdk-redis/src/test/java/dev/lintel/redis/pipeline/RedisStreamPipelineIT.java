package dev.lintel.redis.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.core.pipeline.Pipeline;
import dev.lintel.pipeline.ErrorPolicy;
import dev.lintel.pipeline.PipelineProgress;
import dev.lintel.pipeline.PipelineState;
import dev.lintel.testing.Eventually;
import dev.lintel.testing.TestServers;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three pipeline instances (nodes, each with its own client) share one stream through a consumer
 * group on the real Redis; one is killed mid-run, its connections closed without acknowledging.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RedisStreamPipelineIT {
  private static final Logger log = LoggerFactory.getLogger(RedisStreamPipelineIT.class);
  private static final int ENTRIES = 100_000;
  private static final int POISON_EVERY = 10_000;

  private final String stream = "pipeline-it-" + UUID.randomUUID();
  private final RedisURI uri = RedisURI.create(TestServers.redis().toString());
  private final List<RedisClient> clients = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    try (RedisClient admin = RedisClient.create(uri);
        StatefulRedisConnection<String, String> connection = admin.connect()) {
      connection.sync().del(stream, stream + ":dead", stream + ":errors:importers");
    }
    clients.forEach(RedisClient::shutdown);
  }

  @Test
  void threeNodesProcessEveryEntryAtLeastOnceWhenOneIsKilledAndDeadLetterPoison() {
    Set<String> poison = new HashSet<>();
    Set<String> all = fill(poison);
    Map<String, Integer> saved = new ConcurrentHashMap<>();
    LongAdder savedByKilled = new LongAdder();
    CountDownLatch hang = new CountDownLatch(1);
    List<Pipeline> nodes = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      RedisClient client = RedisClient.create(uri);
      clients.add(client);
      RedisStreamSource source =
          RedisStreamSource.using(client, stream, "importers", "node-" + n)
              .lease(Duration.ofSeconds(2))
              .maxDeliveries(3)
              .endWhenDrained(true)
              .build();
      boolean killed = n == 0;
      nodes.add(
          Pipeline.from(source)
              .batch(100, Duration.ofMillis(20))
              .to(
                  source.ackingBatches(
                      batch -> {
                        for (StreamEntry entry : batch) {
                          if (entry.body().containsKey("poison")) {
                            throw new IllegalStateException("poison entry " + entry.id());
                          }
                        }
                        for (StreamEntry entry : batch) {
                          saved.merge(entry.id(), 1, Integer::sum);
                        }
                        if (killed) {
                          savedByKilled.add(batch.size());
                          if (savedByKilled.sum() >= 5_000) {
                            hang.await(); // node-0 hangs in its sink, holding unacknowledged
                            // entries
                          }
                        }
                      }))
              .onError(ErrorPolicy.skip())
              .name("node-" + n)
              .progressInterval(Duration.ZERO)
              .build());
    }
    nodes.forEach(Pipeline::start);

    Eventually.awaitTrue(() -> savedByKilled.sum() >= 5_000, "node-0 to hang in its sink");
    nodes.get(0).cancel(); // killed: what it read and did not acknowledge stays pending
    clients.get(0).shutdown();
    long leftByKilled = pendingOf("node-0");
    assertThat(leftByKilled).isGreaterThanOrEqualTo(100); // at least the batch it hung on

    PipelineProgress first = nodes.get(1).awaitCompletion();
    PipelineProgress second = nodes.get(2).awaitCompletion();

    assertThat(first.state()).isEqualTo(PipelineState.COMPLETED);
    assertThat(second.state()).isEqualTo(PipelineState.COMPLETED);
    Set<String> good = new HashSet<>(all);
    good.removeAll(poison);
    assertThat(saved.keySet())
        .isEqualTo(good); // every entry at least once, once per id in the sink
    long deliveriesToSink = saved.values().stream().mapToLong(Integer::longValue).sum();
    log.info(
        "{} entries saved by 3 nodes ({} by the killed one, which left {} pending), {} sink"
            + " deliveries ({} repeated)",
        saved.size(),
        savedByKilled.sum(),
        leftByKilled,
        deliveriesToSink,
        deliveriesToSink - saved.size());

    try (RedisClient admin = RedisClient.create(uri);
        StatefulRedisConnection<String, String> connection = admin.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      assertThat(redis.xpending(stream, "importers").getCount()).isZero();
      List<StreamMessage<String, String>> dead =
          redis.xrange(stream + ":dead", Range.create("-", "+"));
      assertThat(dead)
          .extracting(message -> message.getBody().get("entry"))
          .containsExactlyInAnyOrderElementsOf(poison);
      assertThat(dead)
          .allSatisfy(
              message -> {
                assertThat(message.getBody().get("error")).contains("poison entry");
                assertThat(Long.parseLong(message.getBody().get("deliveries"))).isGreaterThan(3);
              });
    }
  }

  @Test
  void acknowledgedEntriesAreTrimmedAndTheSourceEndsWhenTheGroupIsDrained() {
    try (RedisClient client = RedisClient.create(uri);
        StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      for (int n = 0; n < 1_000; n++) {
        redis.xadd(stream, Map.of("n", Integer.toString(n)));
      }
      RedisStreamSource source =
          RedisStreamSource.using(client, stream, "importers", "only")
              .endWhenDrained(true)
              .trimAcknowledged(true)
              .build();
      LongAdder seen = new LongAdder();

      PipelineProgress result =
          Pipeline.from(source)
              .to(source.acking(entry -> seen.increment()))
              .progressInterval(Duration.ZERO)
              .build()
              .run();

      assertThat(result.processed()).isEqualTo(1_000);
      assertThat(seen.sum()).isEqualTo(1_000);
      assertThat(redis.xpending(stream, "importers").getCount()).isZero();
      assertThat(redis.xlen(stream)).isLessThanOrEqualTo(1); // MINID keeps the last delivered one
    }
  }

  @Test
  void errorPolicyDeadLettersGoToARedisStream() {
    try (RedisClient client = RedisClient.create(uri);
        StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisDeadLetterStream deadLetters = RedisDeadLetterStream.using(connection, stream + ":dead");

      PipelineProgress result =
          Pipeline.from(List.of(1, 2, 3, 4))
              .map(
                  n -> {
                    if (n % 2 == 0) {
                      throw new IllegalArgumentException("even " + n);
                    }
                    return n;
                  })
              .onError(ErrorPolicy.deadLetter(deadLetters))
              .to(n -> {})
              .name("numbers")
              .progressInterval(Duration.ZERO)
              .build()
              .run();

      assertThat(result.deadLettered()).isEqualTo(2);
      List<StreamMessage<String, String>> letters =
          connection.sync().xrange(stream + ":dead", Range.create("-", "+"));
      assertThat(letters)
          .extracting(
              message -> message.getBody().get("item") + " " + message.getBody().get("error"))
          .containsExactly(
              "2 java.lang.IllegalArgumentException: even 2",
              "4 java.lang.IllegalArgumentException: even 4");
      assertThat(letters.get(0).getBody())
          .containsEntry("pipeline", "numbers")
          .containsEntry("stage", "map")
          .containsEntry("key", "#1")
          .containsEntry("attempts", "1");
    }
  }

  @Test
  void badSettingsAreRefusedNamingTheValue() {
    try (RedisClient client = RedisClient.create(uri)) {
      RedisStreamSource.Builder builder = RedisStreamSource.using(client, stream, "g", "c");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> builder.maxDeliveries(0))
          .hasMessage("maxDeliveries must be at least 1 but was 0");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> builder.lease(Duration.ZERO))
          .hasMessage("lease must be positive but was PT0S");
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> RedisStreamSource.using(client, " ", "g", "c"))
          .hasMessage("stream must not be blank but was ' '");
    }
  }

  private long pendingOf(String consumer) {
    try (RedisClient admin = RedisClient.create(uri);
        StatefulRedisConnection<String, String> connection = admin.connect()) {
      Long count =
          connection.sync().xpending(stream, "importers").getConsumerMessageCount().get(consumer);
      return count == null ? 0 : count;
    }
  }

  /** Adds the entries, every 10,000th poison; returns all ids and puts the poison ones aside. */
  private Set<String> fill(Set<String> poison) {
    try (RedisClient admin = RedisClient.create(uri);
        StatefulRedisConnection<String, String> connection = admin.connect()) {
      RedisAsyncCommands<String, String> async = connection.async();
      connection.setAutoFlushCommands(false);
      List<RedisFuture<String>> added = new ArrayList<>(ENTRIES);
      for (int n = 0; n < ENTRIES; n++) {
        Map<String, String> body =
            n % POISON_EVERY == POISON_EVERY - 1
                ? Map.of("n", Integer.toString(n), "poison", "yes")
                : Map.of("n", Integer.toString(n));
        added.add(async.xadd(stream, body));
        if (n % 1_000 == 999) {
          connection.flushCommands();
        }
      }
      connection.flushCommands();
      connection.setAutoFlushCommands(true);
      assertThat(
              LettuceFutures.awaitAll(Duration.ofMinutes(1), added.toArray(new RedisFuture<?>[0])))
          .isTrue();
      List<String> ids = new ArrayList<>(ENTRIES);
      for (RedisFuture<String> future : added) {
        ids.add(future.toCompletableFuture().join());
      }
      for (int n = POISON_EVERY - 1; n < ENTRIES; n += POISON_EVERY) {
        poison.add(ids.get(n));
      }
      return ids.stream().collect(Collectors.toSet());
    }
  }
}
