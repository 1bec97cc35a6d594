package dev.lintel.core.shard;

import dev.lintel.Registration;
import dev.lintel.shard.ShardRouter;
import dev.lintel.shard.ShardingException;
import dev.lintel.shard.Topology;
import dev.lintel.shard.TopologyStore;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a {@link TopologyStore}: holds the router of the highest topology version seen, reads the
 * store every poll interval and whenever {@link #refresh()} is called (a stale-topology refusal, a
 * push notification), and tells listeners of each new version.
 *
 * <p>Guarantees: the router only moves forward (a version below the current one is ignored, so a
 * slow read cannot take a node back); listeners are called once per new version, in version order,
 * after {@link #router()} returns it; a store that cannot be read is logged and tried again at the
 * next poll, the current router staying in use. Every node that watches one store ends on the same
 * version; they do not switch at the same instant, which is why writes are fenced by version (see
 * sdk-jdbc's {@code ShardWriter}). Thread-safe; {@link #close()} stops the polling thread.
 *
 * @param <K> the shard key type
 */
public final class TopologyWatcher<K> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TopologyWatcher.class);

  private final TopologyStore store;
  private final Function<Topology, ShardRouter<K>> routers;
  private final AtomicReference<ShardRouter<K>> current;
  private final CopyOnWriteArrayList<Consumer<ShardRouter<K>>> listeners =
      new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService poller;

  private TopologyWatcher(
      TopologyStore store, Function<Topology, ShardRouter<K>> routers, Duration pollInterval) {
    this.store = store;
    this.routers = routers;
    Topology first = store.current();
    if (first == null) {
      throw new ShardingException(
          "the topology store " + store + " holds no topology yet: publish one first");
    }
    this.current = new AtomicReference<>(routers.apply(first));
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "lintel-topology-watcher");
              thread.setDaemon(true);
              return thread;
            });
    long nanos = pollInterval.toNanos();
    poller.scheduleWithFixedDelay(this::poll, nanos, nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Starts watching a store: reads its topology now, then every poll interval.
   *
   * @param store the store
   * @param routers builds the router of a topology (a codec, a locator, directories)
   * @param pollInterval how often the store is read; positive
   * @param <K> the shard key type
   * @return the watcher
   * @throws ShardingException if the store holds no topology
   * @throws IllegalArgumentException if the interval is not positive
   */
  public static <K> TopologyWatcher<K> start(
      TopologyStore store, Function<Topology, ShardRouter<K>> routers, Duration pollInterval) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(routers, "routers");
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("pollInterval must be positive, but was " + pollInterval);
    }
    return new TopologyWatcher<>(store, routers, pollInterval);
  }

  /**
   * Returns the router of the highest version seen.
   *
   * @return the router; never null
   */
  public ShardRouter<K> router() {
    return current.get();
  }

  /**
   * Reads the store now, on the calling thread, and switches if it holds a higher version.
   *
   * @return the router after the read
   * @throws dev.lintel.LintelException if the store cannot be read
   */
  public ShardRouter<K> refresh() {
    Topology latest = store.current();
    if (latest == null) {
      return current.get();
    }
    return advance(latest);
  }

  /**
   * Listens for new versions.
   *
   * @param listener receives the router of each new version
   * @return stops listening
   */
  public Registration onChange(Consumer<ShardRouter<K>> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> listeners.remove(listener);
  }

  private synchronized ShardRouter<K> advance(Topology latest) {
    ShardRouter<K> now = current.get();
    if (latest.version() <= now.topology().version()) {
      return now;
    }
    ShardRouter<K> next = routers.apply(latest);
    current.set(next);
    log.info("Switched from topology v{} to v{}", now.topology().version(), latest.version());
    for (Consumer<ShardRouter<K>> listener : listeners) {
      try {
        listener.accept(next);
      } catch (RuntimeException e) {
        log.warn("A topology listener failed on v{}", latest.version(), e);
      }
    }
    return next;
  }

  private void poll() {
    try {
      refresh();
    } catch (RuntimeException e) {
      log.warn(
          "Reading the topology store failed; staying on v{} until the next poll",
          current.get().topology().version(),
          e);
    }
  }

  /** Stops polling. The current router stays usable. */
  @Override
  public void close() {
    poller.shutdownNow();
  }
}
