package dev.lintel.core.cache;

import dev.lintel.Registration;
import dev.lintel.cache.RemoteCacheStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/** A {@link RemoteCacheStore} in a map, for unit tests of the cache's own logic (no expiry). */
final class InMemoryStore implements RemoteCacheStore {
  final Map<String, byte[]> values = new ConcurrentHashMap<>();
  final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();

  /** While true, writes, deletes and messages fail as if the store could not be reached. */
  volatile boolean unreachable;

  private <T> @Nullable CompletableFuture<T> failIfUnreachable() {
    return unreachable
        ? CompletableFuture.failedFuture(new IllegalStateException("store unreachable"))
        : null;
  }

  @Override
  public CompletableFuture<byte @Nullable []> get(String key) {
    return CompletableFuture.completedFuture(values.get(key));
  }

  @Override
  public CompletableFuture<List<byte @Nullable []>> getAll(List<String> keys) {
    List<byte @Nullable []> found = new ArrayList<>();
    keys.forEach(key -> found.add(values.get(key)));
    return CompletableFuture.completedFuture(found);
  }

  @Override
  public CompletableFuture<Void> set(String key, byte[] value, Duration ttl) {
    CompletableFuture<Void> failed = failIfUnreachable();
    if (failed != null) {
      return failed;
    }
    values.put(key, value);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> delete(Collection<String> keys) {
    CompletableFuture<Void> failed = failIfUnreachable();
    if (failed != null) {
      return failed;
    }
    keys.forEach(values::remove);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Long> deleteMatching(String pattern) {
    GlobPattern glob = GlobPattern.compile(pattern);
    long before = values.size();
    values.keySet().removeIf(glob::matches);
    return CompletableFuture.completedFuture(before - values.size());
  }

  @Override
  public CompletableFuture<Boolean> tryLock(String key, String token, Duration ttl) {
    return CompletableFuture.completedFuture(values.putIfAbsent(key, token.getBytes()) == null);
  }

  @Override
  public CompletableFuture<Boolean> unlock(String key, String token) {
    byte[] held = values.get(key);
    boolean mine = held != null && new String(held).equals(token) && values.remove(key, held);
    return CompletableFuture.completedFuture(mine);
  }

  @Override
  public CompletableFuture<Void> publish(String channel, String message) {
    CompletableFuture<Void> failed = failIfUnreachable();
    if (failed != null) {
      return failed;
    }
    listeners.getOrDefault(channel, List.of()).forEach(listener -> listener.onMessage(message));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public Registration subscribe(String channel, Listener listener) {
    listeners.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(listener);
    return () -> listeners.get(channel).remove(listener);
  }

  @Override
  public void close() {}
}
