package dev.lintel.shard;

import dev.lintel.Registration;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The SPI of a directory: an explicit table from key (in its string form) to shard id, consulted by
 * a {@link ShardStrategy.Directory} strategy. Implementations keep the table in memory, a database
 * or Redis, and tell listeners which key changed so that caches in front of them drop their copy.
 *
 * <p>Implementations are thread-safe. A directory does not know the topology: the router checks
 * every shard id it returns.
 */
public interface ShardDirectory {

  /**
   * Looks a key up.
   *
   * @param key the key's string form
   * @return the id of the shard the key is assigned to, or null if it has no entry
   * @throws dev.lintel.LintelException if the directory cannot be read
   */
  @Nullable String shardOf(String key);

  /**
   * Assigns a key to a shard, replacing any entry, and notifies the listeners.
   *
   * @param key the key's string form
   * @param shardId the shard's id
   * @throws IllegalArgumentException if the key is empty or the shard id is invalid
   */
  void assign(String key, String shardId);

  /**
   * Removes a key's entry, if any, and notifies the listeners.
   *
   * @param key the key's string form
   */
  void remove(String key);

  /**
   * Returns a snapshot of every entry, for plans and audits. Not for the routing path.
   *
   * @return an immutable copy of the table, key to shard id
   */
  Map<String, String> entries();

  /**
   * Listens for changes.
   *
   * @param listener receives the key whose entry changed, or null when any entry may have changed
   * @return stops listening
   */
  Registration onChange(Consumer<@Nullable String> listener);
}
