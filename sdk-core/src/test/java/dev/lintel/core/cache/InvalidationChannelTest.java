package dev.lintel.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.TimeSource;
import dev.lintel.cache.KeyCodec;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@link InvalidationChannel} between two nodes on one in-memory store (which delivers messages at
 * once, on the publisher's thread).
 */
class InvalidationChannelTest {
  private static final String CHANNEL = "lintel:invalidations:users";

  private final InMemoryStore store = new InMemoryStore();

  /** Writes down what a node was told to evict. */
  private static final class Recorder implements InvalidationChannel.Receiver<Long> {
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile @Nullable GlobPattern lastPattern;

    @Override
    public void evict(Long key) {
      calls.add("evict " + key);
    }

    @Override
    public void evictMatching(GlobPattern pattern) {
      lastPattern = pattern;
      calls.add("evictMatching");
    }

    @Override
    public void evictAll() {
      calls.add("evictAll");
    }

    @Override
    public void channelLost() {
      calls.add("channelLost");
    }

    @Override
    public void channelRestored() {
      calls.add("channelRestored");
    }
  }

  private final class Node {
    final Recorder received = new Recorder();
    final CacheCounters counters = new CacheCounters();
    final InvalidationChannel<Long> channel =
        new InvalidationChannel<>(
            new RemoteLevel(
                store,
                CircuitBreaker.ofDefaults("test"),
                Duration.ofSeconds(1),
                TimeSource.system(),
                counters,
                "users"),
            KeyCodec.longs(),
            CHANNEL,
            received,
            counters,
            "users");
  }

  @Test
  void aKeyPublishedByOneNodeIsEvictedByTheOthersNotByItself() {
    Node a = new Node();
    Node b = new Node();
    Node c = new Node();

    a.channel.publishKey(42L);

    assertThat(a.received.calls).isEmpty();
    assertThat(b.received.calls).containsExactly("evict 42");
    assertThat(c.received.calls).containsExactly("evict 42");
    assertThat(b.counters.snapshot().invalidationsReceived()).isOne();
    assertThat(a.counters.snapshot().invalidationsReceived()).isZero();
  }

  @Test
  void aPatternReachesTheOtherNodesAsAGlob() {
    Node a = new Node();
    Node b = new Node();

    a.channel.publishPattern("4*");

    assertThat(b.received.calls).containsExactly("evictMatching");
    GlobPattern pattern = b.received.lastPattern;
    assertThat(pattern).isNotNull();
    assertThat(pattern.matches("42")).isTrue();
    assertThat(pattern.matches("142")).isFalse();
  }

  @Test
  void aMessageThatCannotBeAppliedClearsEverythingLocal() {
    Node b = new Node();

    store.publish(CHANNEL, "another-node Knot-a-long");

    assertThat(b.received.calls).containsExactly("evictAll");
  }

  @Test
  void malformedAndUnknownMessagesAreIgnored() {
    Node b = new Node();

    store.publish(CHANNEL, "no-space-at-all");
    store.publish(CHANNEL, "another-node ");
    store.publish(CHANNEL, "another-node X42");

    assertThat(b.received.calls).isEmpty();
    assertThat(b.counters.snapshot().invalidationsReceived()).isZero();
  }

  @Test
  void losingAndRegainingTheSubscriptionIsPassedOnInOrder() {
    Node b = new Node();

    store.listeners.get(CHANNEL).forEach(listener -> listener.onDisconnect());
    store.listeners.get(CHANNEL).forEach(listener -> listener.onReconnect());

    assertThat(b.received.calls).containsExactly("channelLost", "channelRestored");
  }

  @Test
  void aClosedChannelHearsNothing() {
    Node a = new Node();
    Node b = new Node();

    b.channel.close();
    a.channel.publishKey(7L);

    assertThat(b.received.calls).isEmpty();
  }
}
