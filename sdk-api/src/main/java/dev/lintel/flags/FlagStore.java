package dev.lintel.flags;

import dev.lintel.Registration;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Keeps flag definitions, and tells listeners which flag changed so that evaluators can drop their
 * local copy. A store shared by several nodes (Redis) tells every node's listeners. Thread-safe.
 */
public interface FlagStore {

  /**
   * Reads a flag.
   *
   * @param name the flag's name
   * @return the flag, or null if there is none
   * @throws dev.lintel.LintelException if the store cannot be read
   */
  @Nullable Flag get(String name);

  /**
   * Creates or replaces a flag and notifies the listeners on every node.
   *
   * @param flag the flag
   */
  void put(Flag flag);

  /**
   * Deletes a flag and notifies the listeners on every node.
   *
   * @param name the flag's name
   */
  void remove(String name);

  /**
   * Listens for changes.
   *
   * @param listener receives the name of a changed flag, or null when any flag may have changed
   *     (for example after a reconnect, when notifications may have been missed)
   * @return stops listening
   */
  Registration onChange(Consumer<@Nullable String> listener);
}
