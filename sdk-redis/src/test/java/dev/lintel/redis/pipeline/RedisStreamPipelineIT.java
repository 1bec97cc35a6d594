package dev.lintel.redis.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.core.pipeline.Pipeline;
import dev.lintel.pipeline.ErrorPolicy;
import dev.lintel.pipeline.PipelineProgress;
import dev.lintel.pipeline.PipelineState;
import dev.lintel.redis.RedisConnector;
import dev.lintel.redis.internal.RedisKeyspace;
import dev.lintel.testing.Eventually;
import dev.lintel.testing.TestServers;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.StringCodec;
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
 * Three pipeline instances (nodes, each with its own connector) share one stream through a consumer
 * group on the real Redis; one is killed mid-run, its connections closed without acknowledging.
 * {@link ClusterStreamPipelineIT} runs the same on the test Redis Cluster.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RedisStreamPipelineIT {
  private static final Logger log = LoggerFactory.getLogger(RedisStreamPipelineIT.class);
  private static final int FILL_CHUNK = 1_000;

  private final String stream = "pipeline-it-" + UUID.randomUUID();
  private final List<RedisConnector> connectors = new ArrayList<>();
  private final RedisConnector admin = connector();
  private final RedisKeyspace<String> adminConnection = RedisKeyspace.open(admin, StringCodec.UTF8);
  private final RedisClusterCommands<String, String> redis = adminConnection.sync();

  /** How a node's connector is built. */
  RedisConnector.Builder builder() {
    return RedisConnector.standalone(RedisURI.create(TestServers.redis().toString()));
  }

  /** How many entries the three-node test fills the stream with: a multiple of 10. */
  int entries() {
    return 100_000;
  }

  final RedisConnector connector() {
    RedisConnector connector = builder().connect();
    connectors.add(connector);
    return connector;
  }

  @AfterEach
  void cleanUp() {
    try {
      redis.del(stream);
      redis.del(stream + ":dead");
      redis.del(stream + ":errors:importers");
    } finally {
      adminConnection.close();
      connectors.forEach(RedisConnector::close);
    }
  }

  @Test
  void threeNodesProcessEveryEntryAtLeastOnceWhenOneIsKilledAndDeadLetterPoison() {
    Set<String> poison = new HashSet<>();
    int entries = entries();
    int hangAfter = entries / 20;
    Set<String> all = fill(entries, poison);
    Map<String, Integer> saved = new ConcurrentHashMap<>();
    LongAdder savedByKilled = new LongAdder();
    CountDownLatch hang = new CountDownLatch(1);
    List<Pipeline> nodes = new ArrayList<>();
    List<RedisConnector> nodeConnectors = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      RedisConnector connector = connector();
      nodeConnectors.add(connector);
      RedisStreamSource source =
          RedisStreamSource.using(connector, stream, "importers", "node-" + n)
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
                          if (savedByKilled.sum() >= hangAfter) {
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

    Eventually.awaitTrue(() -> savedByKilled.sum() >= hangAfter, "node-0 to hang in its sink");
    nodes.get(0).cancel(); // killed: what it read and did not acknowledge stays pending
    nodeConnectors.get(0).close();
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

  @Test
  void acknowledgedEntriesAreTrimmedAndTheSourceEndsWhenTheGroupIsDrained() {
    for (int n = 0; n < 1_000; n++) {
      redis.xadd(stream, Map.of("n", Integer.toString(n)));
    }
    RedisStreamSource source =
        RedisStreamSource.using(admin, stream, "importers", "only")
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

  @Test
  void aReadWaitingForEntriesOutlastsAShortCommandTimeout() throws Exception {
    RedisConnector impatient = builder().commandTimeout(Duration.ofMillis(200)).connect();
    connectors.add(impatient);
    RedisStreamSource source =
        RedisStreamSource.using(impatient, stream, "importers", "waiting").build();
    LongAdder seen = new LongAdder();
    Pipeline pipeline =
        Pipeline.from(source)
            .to(source.acking(entry -> seen.increment()))
            .progressInterval(Duration.ZERO)
            .build();
    pipeline.start();

    try {
      Thread.sleep(1_500); // finding nothing for longer than the 200 ms command timeout
      assertThat(pipeline.state()).isEqualTo(PipelineState.RUNNING);
      redis.xadd(stream, Map.of("n", "1"));

      Eventually.awaitTrue(() -> seen.sum() == 1, "the entry added after the empty reads");
      Eventually.awaitTrue(
          () -> redis.xpending(stream, "importers").getCount() == 0, "the entry acknowledged");
      assertThat(pipeline.state()).isEqualTo(PipelineState.RUNNING);
    } finally {
      pipeline.close();
    }
  }

  @Test
  void errorPolicyDeadLettersGoToARedisStream() {
    try (RedisDeadLetterStream deadLetters = RedisDeadLetterStream.using(admin, stream + ":dead")) {

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
          redis.xrange(stream + ":dead", Range.create("-", "+"));
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
    RedisStreamSource.Builder builder = RedisStreamSource.using(admin, stream, "g", "c");
    assertThatThrownBy(() -> builder.maxDeliveries(0))
        .hasMessage("maxDeliveries must be at least 1 but was 0");
    assertThatThrownBy(() -> builder.lease(Duration.ZERO))
        .hasMessage("lease must be positive but was PT0S");
    assertThatThrownBy(() -> RedisStreamSource.using(admin, " ", "g", "c"))
        .hasMessage("stream must not be blank but was ' '");
  }

  private long pendingOf(String consumer) {
    Long count = redis.xpending(stream, "importers").getConsumerMessageCount().get(consumer);
    return count == null ? 0 : count;
  }

  /**
   * Adds the entries, every tenth of them poison; returns all ids and puts the poison ones aside.
   */
  private Set<String> fill(int entries, Set<String> poison) {
    int poisonEvery = entries / 10;
    RedisClusterAsyncCommands<String, String> async = adminConnection.commands();
    List<RedisFuture<String>> added = new ArrayList<>(entries);
    int answered = 0;
    for (int n = 0; n < entries; n++) {
      Map<String, String> body =
          n % poisonEvery == poisonEvery - 1
              ? Map.of("n", Integer.toString(n), "poison", "yes")
              : Map.of("n", Integer.toString(n));
      added.add(async.xadd(stream, body)); // sent at once, answered later: pipelined
      if (added.size() - answered == FILL_CHUNK || n == entries - 1) {
        // A chunk at a time: each command's timeout runs from when it is sent, and one burst of
        // 100,000 outlasted the connector's 2 s on a loaded machine.
        RedisFuture<?>[] chunk =
            added.subList(answered, added.size()).toArray(new RedisFuture<?>[0]);
        assertThat(LettuceFutures.awaitAll(Duration.ofMinutes(1), chunk)).isTrue();
        answered = added.size();
      }
    }
    List<String> ids = new ArrayList<>(entries);
    for (RedisFuture<String> future : added) {
      ids.add(future.toCompletableFuture().join());
    }
    for (int n = poisonEvery - 1; n < entries; n += poisonEvery) {
      poison.add(ids.get(n));
    }
    return ids.stream().collect(Collectors.toSet());
  }
}
