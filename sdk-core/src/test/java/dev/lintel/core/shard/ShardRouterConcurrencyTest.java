package dev.lintel.core.shard;

import static dev.lintel.core.shard.ShardRoutersTest.shards;
import static dev.lintel.shard.ShardStrategy.KeyRange;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.shard.RangeKeyType;
import dev.lintel.shard.ShardRouter;
import dev.lintel.shard.ShardStrategy;
import dev.lintel.shard.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Routers are immutable: many threads routing at once get what one thread gets. */
class ShardRouterConcurrencyTest {
  private static final int THREADS = 8;
  private static final int KEYS = 50_000;
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void manyThreadsRoutingAtOnceGiveTheSameAnswersAsOne() throws Exception {
    ShardStrategy geo =
        ShardStrategy.geo()
            .location("0", ShardStrategy.jump("j0", "j1", "j2"))
            .location("1", ShardStrategy.rendezvous("r0", "r1", "r2"))
            .location("2", ShardStrategy.ring(50, "g0", "g1"))
            .location(
                "3",
                ShardStrategy.range(
                    RangeKeyType.STRING,
                    KeyRange.of(null, "k5", "q0"),
                    KeyRange.of("k5", null, "q1")))
            .fallback("4", "0")
            .build();
    Topology topology =
        Topology.of(1, shards("j0", "j1", "j2", "r0", "r1", "r2", "g0", "g1", "q0", "q1"), geo);
    ShardRouter<String> router =
        ShardRouters.builder(topology, ShardKeyCodec.strings())
            .locator(key -> key.substring(key.length() - 1))
            .build();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      keys.add("k" + (i * 31 % 9973) + "-" + (i % 5));
    }
    String[] expected = keys.stream().map(router::route).toArray(String[]::new);

    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int offset = t * 997;
      Callable<Integer> task =
          () -> {
            start.await();
            int mismatches = 0;
            for (int round = 0; round < 4; round++) {
              for (int i = 0; i < KEYS; i++) {
                int index = (i + offset) % KEYS; // threads walk the keys from different places
                if (!router.route(keys.get(index)).equals(expected[index])) {
                  mismatches++;
                }
              }
            }
            return mismatches;
          };
      results.add(pool.submit(task));
    }
    start.countDown();
    for (Future<Integer> result : results) {
      assertThat(result.get()).isZero();
    }
    assertThat(List.of(expected)).contains("j0", "r1", "g0", "q1");
  }
}
