package dev.lintel.core.shard;

import dev.lintel.shard.ShardingException;
import dev.lintel.shard.Topology;
import dev.lintel.shard.TopologyStore;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The current topology in a variable of this process: the embedded default and the store for tests.
 * Publishing is a compare-and-set, so of two racing publishers of the same version exactly one
 * wins. Thread-safe.
 */
public final class InMemoryTopologyStore implements TopologyStore {
  private final AtomicReference<@Nullable Topology> current = new AtomicReference<>();

  private InMemoryTopologyStore() {}

  /**
   * Creates an empty store.
   *
   * @return the store
   */
  public static InMemoryTopologyStore create() {
    return new InMemoryTopologyStore();
  }

  @Override
  public @Nullable Topology current() {
    return current.get();
  }

  @Override
  public void publish(Topology topology) {
    Objects.requireNonNull(topology, "topology");
    while (true) {
      Topology now = current.get();
      if (now != null && now.version() >= topology.version()) {
        throw new ShardingException(
            "cannot publish topology v"
                + topology.version()
                + ": v"
                + now.version()
                + " is current and versions only grow");
      }
      if (current.compareAndSet(now, topology)) {
        return;
      }
    }
  }
}
