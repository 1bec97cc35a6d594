package dev.lintel.core.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.Registration;
import dev.lintel.shard.ShardDirectory;
import dev.lintel.testing.ManualTimeSource;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class CachedShardDirectoryTest {

  /** A directory that counts lookups, standing for a database table. */
  private static final class CountingDirectory implements ShardDirectory {
    final InMemoryShardDirectory entries = InMemoryShardDirectory.create();
    final AtomicInteger lookups = new AtomicInteger();

    @Override
    public @Nullable String shardOf(String key) {
      lookups.incrementAndGet();
      return entries.shardOf(key);
    }

    @Override
    public void assign(String key, String shardId) {
      entries.assign(key, shardId);
    }

    @Override
    public void remove(String key) {
      entries.remove(key);
    }

    @Override
    public Map<String, String> entries() {
      return entries.entries();
    }

    @Override
    public Registration onChange(Consumer<@Nullable String> listener) {
      return entries.onChange(listener);
    }
  }

  @Test
  void hitsAndRememberedMissesDoNotReachTheDirectory() {
    CountingDirectory directory = new CountingDirectory();
    directory.assign("acme", "s1");
    try (CachedShardDirectory cached = CachedShardDirectory.builder(directory).build()) {
      assertThat(cached.shardOf("acme")).isEqualTo("s1");
      assertThat(cached.shardOf("acme")).isEqualTo("s1");
      assertThat(cached.shardOf("nobody")).isNull();
      assertThat(cached.shardOf("nobody")).isNull();

      assertThat(directory.lookups).hasValue(2);
    }
  }

  @Test
  void aChangeAnnouncedByTheDirectoryIsSeenByTheNextLookup() {
    CountingDirectory directory = new CountingDirectory();
    directory.assign("acme", "s1");
    try (CachedShardDirectory cached = CachedShardDirectory.builder(directory).build()) {
      assertThat(cached.shardOf("acme")).isEqualTo("s1");
      assertThat(cached.shardOf("globex")).isNull();

      directory.assign("acme", "s2"); // another node moves the tenant, behind the cache
      directory.assign("globex", "s3");

      assertThat(cached.shardOf("acme")).isEqualTo("s2");
      assertThat(cached.shardOf("globex")).isEqualTo("s3");
      directory.remove("acme");
      assertThat(cached.shardOf("acme")).isNull();
    }
  }

  @Test
  void anUnannouncedChangeIsSeenAfterExpiry() {
    ShardDirectory silent =
        new ShardDirectory() {
          final InMemoryShardDirectory entries = InMemoryShardDirectory.of(Map.of("acme", "s1"));

          @Override
          public @Nullable String shardOf(String key) {
            return entries.shardOf(key);
          }

          @Override
          public void assign(String key, String shardId) {
            entries.assign(key, shardId);
          }

          @Override
          public void remove(String key) {
            entries.remove(key);
          }

          @Override
          public Map<String, String> entries() {
            return entries.entries();
          }

          @Override
          public Registration onChange(Consumer<@Nullable String> listener) {
            return () -> {}; // announces nothing, as after a lost message
          }
        };
    ManualTimeSource time = ManualTimeSource.create();
    try (CachedShardDirectory cached =
        CachedShardDirectory.builder(silent)
            .expireAfterWrite(Duration.ofSeconds(30))
            .timeSource(time)
            .build()) {
      assertThat(cached.shardOf("acme")).isEqualTo("s1");
      silent.assign("acme", "s2");

      assertThat(cached.shardOf("acme")).as("stale within the expiry").isEqualTo("s1");
      time.advance(Duration.ofSeconds(31));
      assertThat(cached.shardOf("acme")).isEqualTo("s2");
    }
  }

  @Test
  void writesThroughTheCacheAreSeenAtOnceAndClosingStopsListening() {
    CountingDirectory directory = new CountingDirectory();
    CachedShardDirectory cached = CachedShardDirectory.builder(directory).build();
    assertThat(cached.shardOf("acme")).isNull();
    cached.assign("acme", "s1");
    assertThat(cached.shardOf("acme")).isEqualTo("s1");
    assertThat(cached.entries()).containsExactly(Map.entry("acme", "s1"));

    cached.close();
    directory.assign("acme", "s9");
    assertThat(cached.shardOf("acme")).as("no longer told").isEqualTo("s1");
    cached.invalidate(null);
    assertThat(cached.shardOf("acme")).isEqualTo("s9");
  }

  @Test
  void settingsAreValidated() {
    CachedShardDirectory.Builder builder =
        CachedShardDirectory.builder(InMemoryShardDirectory.create());
    assertThatThrownBy(() -> builder.maximumSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("but was 0");
    assertThatThrownBy(() -> builder.expireAfterWrite(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0S");
  }
}
