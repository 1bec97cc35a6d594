package dev.lintel.core.shard;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.lintel.Registration;
import dev.lintel.TimeSource;
import dev.lintel.shard.ShardDirectory;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A local (L1, Caffeine) cache in front of a slower directory, such as a database or Redis table.
 * Hits, including remembered misses, cost a cache read and no call to the directory.
 *
 * <p>Coherence: the cache listens to the directory's changes and drops the changed key (or
 * everything, when the directory says any key may have changed), so a change the directory
 * announces is seen by the next lookup after the announcement. Entries also expire after {@link
 * Builder#expireAfterWrite}, which bounds staleness when an announcement is lost. Writes go to the
 * directory and drop the key here at once. Thread-safe; {@link #close} stops listening.
 */
public final class CachedShardDirectory implements ShardDirectory, AutoCloseable {
  /** Remembers "no entry": Caffeine keeps no null values. Compared by identity. */
  private static final String ABSENT = new String("<absent>");

  private final ShardDirectory directory;
  private final Cache<String, String> cache;
  private final Function<String, String> load;
  private final Registration subscription;

  private CachedShardDirectory(Builder builder) {
    this.directory = builder.directory;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(builder.maximumSize)
            .expireAfterWrite(builder.expireAfterWrite)
            .ticker(builder.timeSource::nanoTime)
            .build();
    this.load =
        key -> {
          String shard = directory.shardOf(key);
          return shard == null ? ABSENT : shard;
        };
    this.subscription = directory.onChange(this::invalidate);
  }

  /**
   * Starts a cache in front of a directory.
   *
   * @param directory the directory that holds the entries
   * @return a builder: 100,000 entries for 5 minutes on the system time source by default
   */
  public static Builder builder(ShardDirectory directory) {
    return new Builder(directory);
  }

  @Override
  public @Nullable String shardOf(String key) {
    String shard = cache.get(key, load);
    return shard == ABSENT ? null : shard;
  }

  @Override
  public void assign(String key, String shardId) {
    directory.assign(key, shardId);
    cache.invalidate(key);
  }

  @Override
  public void remove(String key) {
    directory.remove(key);
    cache.invalidate(key);
  }

  /** Reads the directory itself, not the cache. */
  @Override
  public Map<String, String> entries() {
    return directory.entries();
  }

  @Override
  public Registration onChange(Consumer<@Nullable String> listener) {
    return directory.onChange(listener);
  }

  /**
   * Drops a cached entry, or every entry.
   *
   * @param key the key, or null to drop everything
   */
  public void invalidate(@Nullable String key) {
    if (key == null) {
      cache.invalidateAll();
    } else {
      cache.invalidate(key);
    }
  }

  /** Stops listening to the directory's changes. */
  @Override
  public void close() {
    subscription.close();
  }

  /** Settings of a {@link CachedShardDirectory}. Not thread-safe. */
  public static final class Builder {
    private final ShardDirectory directory;
    private long maximumSize = 100_000;
    private Duration expireAfterWrite = Duration.ofMinutes(5);
    private TimeSource timeSource = TimeSource.system();

    private Builder(ShardDirectory directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
    }

    /**
     * Bounds the number of cached keys.
     *
     * @param maximumSize at least 1
     * @return this builder
     * @throws IllegalArgumentException if the size is below 1
     */
    public Builder maximumSize(long maximumSize) {
      if (maximumSize < 1) {
        throw new IllegalArgumentException(
            "maximumSize must be at least 1, but was " + maximumSize);
      }
      this.maximumSize = maximumSize;
      return this;
    }

    /**
     * Bounds how long an entry is served without asking the directory again.
     *
     * @param expireAfterWrite positive
     * @return this builder
     * @throws IllegalArgumentException if the duration is not positive
     */
    public Builder expireAfterWrite(Duration expireAfterWrite) {
      if (expireAfterWrite.isNegative() || expireAfterWrite.isZero()) {
        throw new IllegalArgumentException(
            "expireAfterWrite must be positive, but was " + expireAfterWrite);
      }
      this.expireAfterWrite = expireAfterWrite;
      return this;
    }

    /**
     * Sets the time the expiry reads.
     *
     * @param timeSource the time source
     * @return this builder
     */
    public Builder timeSource(TimeSource timeSource) {
      this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
      return this;
    }

    /**
     * Builds the cache and starts listening to the directory.
     *
     * @return the cached directory
     */
    public CachedShardDirectory build() {
      return new CachedShardDirectory(this);
    }
  }
}
