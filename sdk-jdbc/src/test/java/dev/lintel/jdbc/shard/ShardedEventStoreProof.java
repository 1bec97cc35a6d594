package dev.lintel.jdbc.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.lintel.core.eventsourcing.JacksonEventSerializer;
import dev.lintel.core.shard.ShardKeyCodec;
import dev.lintel.core.shard.ShardRouters;
import dev.lintel.core.shard.ShardedEventStore;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.eventsourcing.WrongExpectedVersionException;
import dev.lintel.jdbc.eventsourcing.JdbcEventStore;
import dev.lintel.shard.Shard;
import dev.lintel.shard.ShardRouter;
import dev.lintel.shard.ShardStrategy;
import dev.lintel.shard.ShardingException;
import dev.lintel.shard.Topology;
import dev.lintel.testing.Concurrently;
import dev.lintel.testing.ContractEvents.Deposited;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A JDBC event store per shard behind a router by stream id: appends and stream reads land on the
 * stream's shard only, with that store's optimistic concurrency; each shard has its own global
 * order, read with a per-shard position. Subclasses give the databases.
 */
abstract class ShardedEventStoreProof {
  private static final int THREADS = 8;
  private static final int STREAMS_PER_THREAD = 25;

  private final List<HikariDataSource> pools = new ArrayList<>();
  private final Map<String, JdbcEventStore> stores = new HashMap<>();
  private ShardRouter<String> router;
  private ShardedEventStore events;

  /** Where the shard databases come from. */
  abstract ShardDatabases.Source databases();

  /** A store builder of the databases' dialect. */
  abstract JdbcEventStore.Builder store(DataSource dataSource);

  private final ShardDatabases.Source databases = databases();

  @BeforeEach
  void createShards() throws SQLException {
    router =
        ShardRouters.create(
            Topology.of(1, List.of(Shard.of("s0"), Shard.of("s1")), ShardStrategy.jump("s0", "s1")),
            ShardKeyCodec.strings());
    ShardedEventStore.Builder builder = ShardedEventStore.builder(router);
    for (int i = 0; i < 2; i++) {
      HikariDataSource pool = ShardDatabases.pooled(databases.create(i), THREADS);
      pools.add(pool);
      JdbcEventStore store =
          store(pool)
              .serializer(
                  JacksonEventSerializer.builder().type(Deposited.class, "deposited").build())
              .build()
              .createSchema();
      stores.put("s" + i, store);
      builder.store("s" + i, store);
    }
    events = builder.build();
  }

  @AfterEach
  void close() throws SQLException {
    pools.forEach(HikariDataSource::close);
    databases.dropAll();
  }

  @Test
  void streamsLiveOnTheirShardAndEachShardHasItsOwnOrder() throws Exception {
    Concurrently.run(
        THREADS,
        thread -> {
          for (int i = 0; i < STREAMS_PER_THREAD; i++) {
            String stream = "account-" + thread + "-" + i;
            events.append(
                stream, ExpectedVersion.noStream(), List.of(NewEvent.of(new Deposited(stream, 1))));
            events.append(
                stream,
                ExpectedVersion.exactly(1),
                List.of(
                    NewEvent.of(new Deposited(stream, 2)), NewEvent.of(new Deposited(stream, 3))));
          }
        });

    Map<String, Set<String>> streamsByShard = new HashMap<>();
    for (int thread = 0; thread < THREADS; thread++) {
      for (int i = 0; i < STREAMS_PER_THREAD; i++) {
        String stream = "account-" + thread + "-" + i;
        String shard = router.route(stream);
        streamsByShard.computeIfAbsent(shard, s -> new HashSet<>()).add(stream);
        assertThat(events.shardOf(stream)).isEqualTo(shard);
        assertThat(events.readStream(stream, 1, 10))
            .extracting(e -> ((Deposited) e.data()).amount())
            .containsExactly(1, 2, 3);
        assertThat(events.streamVersion(stream)).isEqualTo(3);
        String other = shard.equals("s0") ? "s1" : "s0";
        assertThat(stores.get(other).readStream(stream, 1, 10)).isEmpty();
      }
    }
    assertThat(streamsByShard).containsOnlyKeys("s0", "s1");

    int total = 0;
    for (String shard : List.of("s0", "s1")) {
      List<RecordedEvent> all = events.readAll(shard, 1, 10_000);
      assertThat(all).extracting(RecordedEvent::position).isSorted().doesNotHaveDuplicates();
      assertThat(all).extracting(RecordedEvent::stream).isSubsetOf(streamsByShard.get(shard));
      assertThat(all).hasSize(3 * streamsByShard.get(shard).size());
      assertThat(events.lastPositions().get(shard)).isEqualTo(all.get(all.size() - 1).position());
      // reading on from a per-shard checkpoint
      long checkpoint = all.get(9).position();
      assertThat(events.readAll(shard, checkpoint + 1, 10_000))
          .isEqualTo(all.subList(10, all.size()));
      total += all.size();
    }
    assertThat(total).isEqualTo(3 * THREADS * STREAMS_PER_THREAD);

    assertThatThrownBy(
            () ->
                events.append(
                    "account-0-0",
                    ExpectedVersion.noStream(),
                    List.of(NewEvent.of(new Deposited("account-0-0", 9)))))
        .isInstanceOf(WrongExpectedVersionException.class);
    assertThatThrownBy(() -> events.readAll("s7", 1, 10))
        .isInstanceOf(ShardingException.class)
        .hasMessage("the sharded event store has no shard 's7'; its shards are [s0, s1]");
    assertThatThrownBy(
            () -> ShardedEventStore.builder(router).store("s0", stores.get("s0")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("shard 's1' of topology v1 has no event store");
  }
}
