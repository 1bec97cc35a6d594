package dev.lintel.core.flags;

import dev.lintel.Registration;
import dev.lintel.flags.Flag;
import dev.lintel.flags.FlagStore;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Flags in a map of this process: the embedded default, and the store for tests. Thread-safe. */
public final class InMemoryFlagStore implements FlagStore {
  private final ConcurrentHashMap<String, Flag> flags = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<Consumer<@Nullable String>> listeners =
      new CopyOnWriteArrayList<>();

  /** Creates a store with no flags. */
  public InMemoryFlagStore() {}

  @Override
  public @Nullable Flag get(String name) {
    return flags.get(Objects.requireNonNull(name, "name"));
  }

  @Override
  public void put(Flag flag) {
    flags.put(flag.name(), flag);
    listeners.forEach(listener -> listener.accept(flag.name()));
  }

  @Override
  public void remove(String name) {
    flags.remove(Objects.requireNonNull(name, "name"));
    listeners.forEach(listener -> listener.accept(name));
  }

  @Override
  public Registration onChange(Consumer<@Nullable String> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> listeners.remove(listener);
  }
}
