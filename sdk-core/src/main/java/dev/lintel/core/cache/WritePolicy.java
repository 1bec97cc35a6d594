package dev.lintel.core.cache;

import dev.lintel.cache.CacheException;
import dev.lintel.cache.CacheWriter;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What {@code put} does for the host's store of record before the cache changes: nothing
 * (cache-aside), call the writer and stop on its failure (write-through), or queue the write for a
 * background flush (write-behind). One sealed type with one implementation per {@link
 * TieredCacheConfig.WriteMode}. Thread-safe.
 */
sealed interface WritePolicy<K, V> extends AutoCloseable
    permits WritePolicy.CacheAside, WritePolicy.WriteThrough, WritePolicy.WriteBehind {

  /**
   * Chooses the policy of a configuration. Write-behind starts its flush thread.
   *
   * @param writer the cache's writer; required by write-through and write-behind, refused by
   *     cache-aside
   * @throws IllegalStateException if the writer does not fit the write mode
   */
  static <K, V> WritePolicy<K, V> of(
      TieredCacheConfig config, @Nullable CacheWriter<K, V> writer, String namespace) {
    requireWriterFits(config.writeMode(), writer, namespace);
    if (writer == null) {
      return new CacheAside<>();
    }
    return switch (config.writeMode()) {
      case WRITE_THROUGH -> new WriteThrough<>(writer, namespace);
      case WRITE_BEHIND ->
          new WriteBehind<>(
              new WriteBehindQueue<>(
                  namespace,
                  writer,
                  config.writeBehindBatchSize(),
                  config.writeBehindInterval(),
                  config.writeBehindMaxPending(),
                  config.writeBehindEnqueueTimeout(),
                  config.writeBehindCloseTimeout()));
      case CACHE_ASIDE -> throw new AssertionError("a cache-aside cache has no writer");
    };
  }

  /**
   * Checks that a cache has a writer exactly when its write mode calls one.
   *
   * @throws IllegalStateException naming the cache and what is missing or too much
   */
  static void requireWriterFits(
      TieredCacheConfig.WriteMode mode, @Nullable CacheWriter<?, ?> writer, String namespace) {
    if (mode == TieredCacheConfig.WriteMode.CACHE_ASIDE && writer != null) {
      throw new IllegalStateException(
          "cache '"
              + namespace
              + "' has a writer but writes cache-aside; choose writeThrough() or"
              + " writeBehind(...) in its TieredCacheConfig");
    }
    if (mode != TieredCacheConfig.WriteMode.CACHE_ASIDE && writer == null) {
      throw new IllegalStateException(
          "cache '" + namespace + "' writes " + mode + " and needs a writer (Builder.writer)");
    }
  }

  /**
   * Persists, or queues, a value that {@code put} is about to cache.
   *
   * @throws CacheException if the value was not accepted; the cache must then stay unchanged
   */
  void write(K key, V value);

  /** Counts the writes accepted and not yet confirmed by the writer: what a crash now loses. */
  int pending();

  /** Writes what is pending, if anything, and stops accepting writes. Called once, on close. */
  @Override
  void close();

  /** The host writes its store itself; {@code put} only changes the cache. */
  final class CacheAside<K, V> implements WritePolicy<K, V> {
    CacheAside() {}

    @Override
    public void write(K key, V value) {}

    @Override
    public int pending() {
      return 0;
    }

    @Override
    public void close() {}
  }

  /** The writer persists first; if it throws, {@code put} throws and the cache is unchanged. */
  final class WriteThrough<K, V> implements WritePolicy<K, V> {
    private final CacheWriter<K, V> writer;
    private final String namespace;

    WriteThrough(CacheWriter<K, V> writer, String namespace) {
      this.writer = writer;
      this.namespace = namespace;
    }

    @Override
    public void write(K key, V value) {
      try {
        writer.writeAll(Map.of(key, value));
      } catch (Exception e) {
        throw new CacheException(
            "Write-through of key '"
                + key
                + "' in cache '"
                + namespace
                + "' failed; the cache is unchanged: "
                + e,
            e);
      }
    }

    @Override
    public int pending() {
      return 0;
    }

    @Override
    public void close() {}
  }

  /** The write is queued and the cache changes at once; see {@link WriteBehindQueue}. */
  final class WriteBehind<K, V> implements WritePolicy<K, V> {
    private final WriteBehindQueue<K, V> queue;

    WriteBehind(WriteBehindQueue<K, V> queue) {
      this.queue = queue;
    }

    @Override
    public void write(K key, V value) {
      queue.enqueue(key, value);
    }

    @Override
    public int pending() {
      return queue.depth();
    }

    @Override
    public void close() {
      queue.close();
    }
  }
}
