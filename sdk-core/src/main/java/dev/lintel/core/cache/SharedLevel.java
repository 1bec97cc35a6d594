package dev.lintel.core.cache;

import dev.lintel.cache.CacheException;
import dev.lintel.cache.KeyCodec;
import dev.lintel.cache.ValueCodec;
import dev.lintel.core.cache.RemoteLevel.Unavailable;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared level (L2) in the cache's own terms: keys qualified as {@code prefix + namespace + ":"
 * + encoded key}, values through the codec, jittered times to live, hits and misses counted. Every
 * call goes through {@link RemoteLevel}'s breaker and timeout. Reads never throw because of the
 * store (an unavailable store, a missing or an undecodable entry are all misses); writes and
 * deletes that cannot reach it are logged. Thread-safe.
 */
final class SharedLevel<K, V> {
  /** Logs under the facade's name, which hosts already tune. */
  private static final Logger log = LoggerFactory.getLogger(TieredCache.class);

  private static final Duration PATTERN_DELETE_TIMEOUT = Duration.ofMinutes(5);

  private final RemoteLevel remote;
  private final KeyCodec<K> keys;
  private final ValueCodec<V> values;
  private final String keyPrefix;
  private final Duration ttl;
  private final TtlJitter jitter;
  private final CacheCounters counters;
  private final String namespace;

  SharedLevel(
      RemoteLevel remote,
      KeyCodec<K> keys,
      ValueCodec<V> values,
      String keyPrefix,
      Duration ttl,
      TtlJitter jitter,
      CacheCounters counters,
      String namespace) {
    this.remote = remote;
    this.keys = keys;
    this.values = values;
    this.keyPrefix = keyPrefix;
    this.ttl = ttl;
    this.jitter = jitter;
    this.counters = counters;
    this.namespace = namespace;
  }

  /**
   * Reads a key.
   *
   * @return the value, or null when L2 has none, holds one that cannot be decoded, or cannot be
   *     reached
   */
  @Nullable V get(K key) {
    String qualified = qualify(key);
    byte[] bytes;
    try {
      bytes = remote.call(() -> remote.store.get(qualified));
    } catch (Unavailable e) {
      return null;
    }
    V value = bytes == null ? null : decodeOrNull(key, bytes);
    if (value == null) {
      counters.l2Misses.increment();
      return null;
    }
    counters.l2Hits.increment();
    return value;
  }

  /**
   * Reads several keys in one round trip, with a timeout that grows by one L2 timeout per 1,000
   * keys.
   *
   * @return the values in the order of the keys; null where L2 has none or cannot decode it
   * @throws Unavailable if L2 cannot be reached
   */
  List<@Nullable V> getAll(List<K> keysToRead) throws Unavailable {
    List<String> qualified = new ArrayList<>(keysToRead.size());
    keysToRead.forEach(key -> qualified.add(qualify(key)));
    Duration timeout = remote.timeout().multipliedBy(1 + keysToRead.size() / 1_000);
    List<byte @Nullable []> read = remote.call(() -> remote.store.getAll(qualified), timeout);
    List<@Nullable V> found = new ArrayList<>(keysToRead.size());
    for (int i = 0; i < keysToRead.size(); i++) {
      byte[] bytes = read.get(i);
      V value = bytes == null ? null : decodeOrNull(keysToRead.get(i), bytes);
      if (value == null) {
        counters.l2Misses.increment();
      } else {
        counters.l2Hits.increment();
      }
      found.add(value);
    }
    return found;
  }

  /**
   * Encodes a value for L2.
   *
   * @throws CacheException naming the value's type, the key and the namespace, if the codec fails
   */
  byte[] encode(K key, V value) {
    try {
      return values.encode(value);
    } catch (Exception e) {
      throw new CacheException(
          "Value of type "
              + value.getClass().getName()
              + " for key '"
              + key
              + "' of cache '"
              + namespace
              + "' cannot be encoded; nothing was written: "
              + e,
          e);
    }
  }

  /**
   * Writes encoded bytes with a jittered time to live, even while the breaker is open; a failure is
   * logged.
   *
   * @return whether L2 confirmed the write
   */
  boolean set(K key, byte[] bytes) {
    String qualified = qualify(key);
    Duration jittered = jitter.apply(ttl);
    return remote.tryChange(() -> remote.store.set(qualified, bytes, jittered), "store " + key);
  }

  /** Writes a loaded value; one the codec cannot encode is logged and stays in L1 only. */
  void store(K key, V value) {
    byte[] bytes;
    try {
      bytes = encode(key, value);
    } catch (CacheException e) {
      log.warn("{}; keeping it in L1 only", e.getMessage());
      return;
    }
    String qualified = qualify(key);
    Duration jittered = jitter.apply(ttl);
    remote.tryCall(() -> remote.store.set(qualified, bytes, jittered), "store " + key);
  }

  /**
   * Deletes a key, even while the breaker is open; a failure is logged.
   *
   * @return whether L2 confirmed the delete
   */
  boolean delete(K key) {
    String qualified = qualify(key);
    return remote.tryChange(() -> remote.store.delete(List.of(qualified)), "delete " + key);
  }

  /**
   * Deletes every key of the namespace matching a glob pattern over encoded keys.
   *
   * @return how many keys were deleted; 0 when L2 could not be reached (logged)
   */
  long deleteMatching(String pattern) {
    try {
      return remote.call(
          () -> remote.store.deleteMatching(keyPrefix + pattern), PATTERN_DELETE_TIMEOUT);
    } catch (Unavailable e) {
      log.warn(
          "Cache '{}': could not delete keys matching '{}' from the shared level",
          namespace,
          pattern);
      return 0;
    }
  }

  CircuitBreaker.State breakerState() {
    return remote.breaker.getState();
  }

  private String qualify(K key) {
    return keyPrefix + keys.encode(key);
  }

  private @Nullable V decodeOrNull(K key, byte[] bytes) {
    try {
      return values.decode(bytes);
    } catch (Exception e) {
      log.warn(
          "Cache '{}': the shared entry of key '{}' ({} bytes) cannot be decoded; treated as a"
              + " miss: {}",
          namespace,
          key,
          bytes.length,
          e.toString());
      return null;
    }
  }
}
