package dev.lintel.core.shard;

import static dev.lintel.core.shard.ShardRoutersTest.shards;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.shard.ShardStrategy;
import dev.lintel.shard.ShardingException;
import dev.lintel.shard.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class InMemoryTopologyStoreTest {

  @Test
  void versionsOnlyGrow() {
    InMemoryTopologyStore store = InMemoryTopologyStore.create();
    assertThat(store.current()).isNull();
    Topology v1 = Topology.of(1, shards("a"), ShardStrategy.single("a"));
    Topology v2 = v1.next(shards("a", "b"), ShardStrategy.jump("a", "b"));

    store.publish(v1);
    store.publish(v2);

    assertThat(store.current()).isEqualTo(v2);
    assertThatThrownBy(() -> store.publish(v1))
        .isInstanceOf(ShardingException.class)
        .hasMessage("cannot publish topology v1: v2 is current and versions only grow");
  }

  @Test
  void ofRacingPublishersOfOneVersionExactlyOneWins() throws Exception {
    InMemoryTopologyStore store = InMemoryTopologyStore.create();
    store.publish(Topology.of(1, shards("a"), ShardStrategy.single("a")));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> attempts = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String id = "s" + i;
        attempts.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    store.publish(Topology.of(2, shards(id), ShardStrategy.single(id)));
                    return true;
                  } catch (ShardingException lost) {
                    return false;
                  }
                }));
      }
      start.countDown();
      int won = 0;
      for (Future<Boolean> attempt : attempts) {
        won += attempt.get() ? 1 : 0;
      }
      assertThat(won).isEqualTo(1);
      assertThat(store.current().version()).isEqualTo(2);
    } finally {
      pool.shutdownNow();
    }
  }
}
