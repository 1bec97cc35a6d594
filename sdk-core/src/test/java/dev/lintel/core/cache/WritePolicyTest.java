package dev.lintel.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.lintel.cache.CacheException;
import dev.lintel.cache.CacheWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link WritePolicy}: one policy per write mode, and what each does for {@code put}. */
class WritePolicyTest {
  private final List<Map<String, String>> written = new CopyOnWriteArrayList<>();
  private final CacheWriter<String, String> recording =
      values -> written.add(new LinkedHashMap<>(values));

  private static TieredCacheConfig.Builder config() {
    return TieredCacheConfig.custom();
  }

  @Test
  void eachWriteModeGetsItsPolicy() {
    assertThat(WritePolicy.of(config().build(), null, "ns"))
        .isInstanceOf(WritePolicy.CacheAside.class);
    assertThat(WritePolicy.of(config().writeThrough().build(), recording, "ns"))
        .isInstanceOf(WritePolicy.WriteThrough.class);
    try (WritePolicy<String, String> behind =
        WritePolicy.of(
            config().writeBehind(10, Duration.ofHours(1), 100).build(), recording, "ns")) {
      assertThat(behind).isInstanceOf(WritePolicy.WriteBehind.class);
    }
  }

  @Test
  void aWriterMustFitTheWriteMode() {
    assertThatThrownBy(() -> WritePolicy.of(config().build(), recording, "orders"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'orders'")
        .hasMessageContaining("cache-aside");
    assertThatThrownBy(() -> WritePolicy.of(config().writeThrough().build(), null, "orders"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("writes WRITE_THROUGH and needs a writer");
    assertThatThrownBy(
            () ->
                WritePolicy.of(
                    config().writeBehind(1, Duration.ofSeconds(1), 1).build(), null, "orders"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("writes WRITE_BEHIND and needs a writer");
  }

  @Test
  void cacheAsideWritesNothingAndHoldsNothing() {
    WritePolicy<String, String> aside = WritePolicy.of(config().build(), null, "ns");

    aside.write("k", "v");

    assertThat(aside.pending()).isZero();
    assertThat(written).isEmpty();
  }

  @Test
  void writeThroughHandsTheWriterTheOneEntryAtOnce() {
    WritePolicy<String, String> through =
        WritePolicy.of(config().writeThrough().build(), recording, "ns");

    through.write("k", "v");

    assertThat(written).containsExactly(Map.of("k", "v"));
    assertThat(through.pending()).isZero();
  }

  @Test
  void aFailedWriteThroughIsACacheExceptionSayingTheCacheIsUnchanged() {
    WritePolicy<String, String> through =
        WritePolicy.of(
            config().writeThrough().build(),
            values -> {
              throw new IllegalStateException("disk full");
            },
            "orders");

    assertThatThrownBy(() -> through.write("k", "v"))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("'k'")
        .hasMessageContaining("'orders'")
        .hasMessageContaining("unchanged")
        .hasRootCauseMessage("disk full");
  }

  @Test
  void writeBehindQueuesCoalescesAndWritesWhatIsPendingOnClose() {
    WritePolicy<String, String> behind =
        WritePolicy.of(config().writeBehind(10, Duration.ofHours(1), 100).build(), recording, "ns");

    behind.write("a", "1");
    behind.write("b", "1");
    behind.write("a", "2");

    assertThat(behind.pending()).isEqualTo(2);
    assertThat(written).isEmpty();
    behind.close();
    assertThat(written).containsExactly(Map.of("a", "2", "b", "1"));
    assertThat(behind.pending()).isZero();
  }

  @Test
  void aFullWriteBehindQueueRefusesAfterTheConfiguredEnqueueTimeout() throws Exception {
    CountDownLatch inWriter = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    WritePolicy<String, String> behind =
        WritePolicy.of(
            config()
                .writeBehind(1, Duration.ofMillis(1), 1)
                .writeBehindEnqueueTimeout(Duration.ofMillis(50))
                .build(),
            values -> {
              inWriter.countDown();
              release.await(10, TimeUnit.SECONDS);
              written.add(new LinkedHashMap<>(values));
            },
            "ns");
    try {
      behind.write("a", "1");
      assertThat(inWriter.await(10, TimeUnit.SECONDS)).isTrue();
      behind.write("b", "1"); // the queue's one place

      assertThatThrownBy(() -> behind.write("c", "1"))
          .isInstanceOf(CacheException.class)
          .hasMessageContaining("full (1 keys) for 50 ms")
          .hasMessageContaining("'c'");
    } finally {
      release.countDown();
      behind.close();
    }
    assertThat(written).containsExactly(Map.of("a", "1"), Map.of("b", "1"));
  }

  @Test
  void closeGivesUpOnAWriterThatKeepsFailingAfterTheConfiguredCloseTimeout() {
    WritePolicy<String, String> behind =
        WritePolicy.of(
            config()
                .writeBehind(10, Duration.ofMillis(1), 100)
                .writeBehindCloseTimeout(Duration.ofMillis(100))
                .build(),
            values -> {
              throw new IllegalStateException("database gone");
            },
            "ns");
    behind.write("k", "v");

    // With the default close timeout this would take over 30 s.
    assertTimeoutPreemptively(Duration.ofSeconds(15), behind::close);

    assertThat(behind.pending()).as("what was not written").isEqualTo(1);
  }
}
