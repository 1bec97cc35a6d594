package dev.lintel.core.shard;

import static dev.lintel.core.shard.ShardRoutersTest.shards;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.shard.ShardRouter;
import dev.lintel.shard.ShardStrategy;
import dev.lintel.shard.ShardingException;
import dev.lintel.shard.Topology;
import dev.lintel.shard.TopologyStore;
import dev.lintel.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class TopologyWatcherTest {
  private static Topology jump(long version, String... ids) {
    return Topology.of(version, shards(ids), ShardStrategy.jump(ids));
  }

  private static ShardRouter<String> router(Topology topology) {
    return ShardRouters.create(topology, ShardKeyCodec.strings());
  }

  /** A store whose answer the test sets, even to an older version than before. */
  static final class ScriptedStore implements TopologyStore {
    final AtomicReference<@Nullable Topology> answer = new AtomicReference<>();
    volatile boolean broken;

    @Override
    public @Nullable Topology current() {
      if (broken) {
        throw new ShardingException("store unreachable");
      }
      return answer.get();
    }

    @Override
    public void publish(Topology topology) {
      answer.set(topology);
    }
  }

  @Test
  void followsNewVersionsInOrderAndNeverGoesBack() {
    ScriptedStore store = new ScriptedStore();
    store.publish(jump(1, "a"));
    try (TopologyWatcher<String> watcher =
        TopologyWatcher.start(store, TopologyWatcherTest::router, Duration.ofMillis(5))) {
      List<Long> seen = new CopyOnWriteArrayList<>();
      watcher.onChange(r -> seen.add(r.topology().version()));
      watcher.onChange(
          r -> {
            throw new IllegalStateException("a failing listener does not stop the others");
          });
      store.publish(jump(2, "a", "b"));
      Eventually.awaitTrue(() -> watcher.router().topology().version() == 2, "v2 by polling");

      store.publish(jump(1, "z")); // a stale answer, as from a lagging replica
      assertThat(watcher.refresh().topology()).isEqualTo(jump(2, "a", "b"));

      store.broken = true; // unreachable: logged, the current router stays
      assertThatThrownBy(watcher::refresh).isInstanceOf(ShardingException.class);
      assertThat(watcher.router().topology().version()).isEqualTo(2);
      store.broken = false;
      store.publish(jump(3, "a", "b", "c"));
      Eventually.awaitTrue(() -> watcher.router().topology().version() == 3, "v3 after the outage");
      assertThat(seen).containsExactly(2L, 3L);
    }
  }

  @Test
  void refusesAnEmptyStoreAndABadInterval() {
    ScriptedStore store = new ScriptedStore();
    assertThatThrownBy(
            () -> TopologyWatcher.start(store, TopologyWatcherTest::router, Duration.ofSeconds(1)))
        .isInstanceOf(ShardingException.class)
        .hasMessageContaining("holds no topology yet");
    store.publish(jump(1, "a"));
    assertThatThrownBy(
            () -> TopologyWatcher.start(store, TopologyWatcherTest::router, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pollInterval must be positive, but was PT0S");
  }
}
