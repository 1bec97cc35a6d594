package dev.lintel.core.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * One lookup of a key in flight in this process, shared by every caller that misses the key
 * meanwhile (see {@link LoadCoordinator}). Finishing it unregisters it before its callers hear the
 * result, so that a caller arriving afterwards starts a fresh lookup. An invalidation of the key
 * detaches it ({@link #detached}), so that its result, read before the invalidation, never lands in
 * the local level.
 */
final class Load<K, V> {
  final K key;

  /** A background early refresh: its result is final for whoever joined it. */
  final boolean refresh;

  final CompletableFuture<@Nullable V> future = new CompletableFuture<>();
  volatile boolean detached;
  private final ConcurrentMap<K, Load<K, V>> registry;

  Load(K key, boolean refresh, ConcurrentMap<K, Load<K, V>> registry) {
    this.key = key;
    this.refresh = refresh;
    this.registry = registry;
  }

  /** Unregisters this lookup, then hands its value to its callers. Later calls do nothing. */
  void complete(@Nullable V value) {
    registry.remove(key, this);
    future.complete(value);
  }

  /** Unregisters this lookup, then hands its failure to its callers. Later calls do nothing. */
  void fail(Throwable failure) {
    registry.remove(key, this);
    future.completeExceptionally(failure);
  }
}
