package dev.lintel.core.cache;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One lookup of a key in flight in this process, shared by every caller that misses the key
 * meanwhile. An invalidation of the key detaches it and sets {@link #invalidated}, so that its
 * result, read before the invalidation, never lands in the local level.
 */
final class Load<V> {
  final CompletableFuture<@Nullable V> future = new CompletableFuture<>();
  final boolean refresh;
  volatile boolean invalidated;

  Load(boolean refresh) {
    this.refresh = refresh;
  }
}
