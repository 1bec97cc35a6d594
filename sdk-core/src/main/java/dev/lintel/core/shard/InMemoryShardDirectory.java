package dev.lintel.core.shard;

import dev.lintel.Registration;
import dev.lintel.shard.ShardDirectory;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A directory in a map of this process: the embedded default and the directory for tests. Lookups
 * are a {@link ConcurrentHashMap} read; listeners are told each change on the calling thread, after
 * it is visible. Thread-safe.
 */
public final class InMemoryShardDirectory implements ShardDirectory {
  private final ConcurrentHashMap<String, String> entries = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<Consumer<@Nullable String>> listeners =
      new CopyOnWriteArrayList<>();

  private InMemoryShardDirectory() {}

  /**
   * Creates an empty directory.
   *
   * @return the directory
   */
  public static InMemoryShardDirectory create() {
    return new InMemoryShardDirectory();
  }

  /**
   * Creates a directory with entries.
   *
   * @param entries key to shard id
   * @return the directory
   * @throws IllegalArgumentException if a key is empty or a shard id blank
   */
  public static InMemoryShardDirectory of(Map<String, String> entries) {
    InMemoryShardDirectory directory = new InMemoryShardDirectory();
    entries.forEach(directory::assign);
    return directory;
  }

  @Override
  public @Nullable String shardOf(String key) {
    return entries.get(key);
  }

  @Override
  public void assign(String key, String shardId) {
    if (Objects.requireNonNull(key, "key").isEmpty()) {
      throw new IllegalArgumentException("a directory key must not be empty");
    }
    if (Objects.requireNonNull(shardId, "shardId").isBlank()) {
      throw new IllegalArgumentException("directory key '" + key + "' needs a shard id");
    }
    entries.put(key, shardId);
    listeners.forEach(listener -> listener.accept(key));
  }

  @Override
  public void remove(String key) {
    if (entries.remove(Objects.requireNonNull(key, "key")) != null) {
      listeners.forEach(listener -> listener.accept(key));
    }
  }

  @Override
  public Map<String, String> entries() {
    return Map.copyOf(entries);
  }

  @Override
  public Registration onChange(Consumer<@Nullable String> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> listeners.remove(listener);
  }
}
