package dev.lintel.core.shard;

import dev.lintel.eventsourcing.AppendResult;
import dev.lintel.eventsourcing.EventHandler;
import dev.lintel.eventsourcing.EventStore;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.eventsourcing.Subscription;
import dev.lintel.shard.Shard;
import dev.lintel.shard.ShardRouter;
import dev.lintel.shard.ShardingException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One event store per shard behind a router by stream id: {@code JdbcEventStore}s on separate
 * databases (or any {@link EventStore}s) acting as one store for streams, and as one store per
 * shard for the global order.
 *
 * <pre>{@code
 * ShardedEventStore events = ShardedEventStore.builder(ShardRouters.create(topology, ShardKeyCodec.strings()))
 *     .store("s0", JdbcEventStore.postgres(pool0).build())
 *     .store("s1", JdbcEventStore.postgres(pool1).build())
 *     .build();
 * events.append("order-42", ExpectedVersion.noStream(), List.of(NewEvent.of(placed)));
 * List<RecordedEvent> page = events.readAll("s1", checkpoints.get("s1"), 500);
 * }</pre>
 *
 * <p>Guarantees: {@link #append}, {@link #readStream} and {@link #streamVersion} go to the store of
 * the shard that owns the stream and keep every guarantee of that store (optimistic concurrency,
 * atomic and idempotent appends). There is no global order across shards: each shard has its own
 * positions, so {@link #readAll(String, long, int)} and {@link #subscribeAll} take a shard id, and
 * a projection keeps one checkpoint per shard ({@link #lastPositions()}). An append spans one
 * stream, so one shard: there are no cross-shard appends.
 *
 * <p>The router is fixed: the rebalancer does not move event streams (their positions belong to
 * their shard's order), so choose a layout that does not move them (a directory, or new streams
 * only on new shards). Thread-safe when the stores are.
 */
public final class ShardedEventStore {
  private final ShardRouter<String> router;
  private final Map<String, EventStore> stores;

  private ShardedEventStore(Builder builder) {
    this.router = builder.router;
    Map<String, EventStore> ordered = new LinkedHashMap<>();
    for (Shard shard : router.topology().shards()) {
      EventStore store = builder.stores.get(shard.id());
      if (store == null) {
        throw new IllegalArgumentException(
            "shard '"
                + shard.id()
                + "' of topology v"
                + router.topology().version()
                + " has no event store; given: "
                + builder.stores.keySet());
      }
      ordered.put(shard.id(), store);
    }
    for (String id : builder.stores.keySet()) {
      if (!ordered.containsKey(id)) {
        throw new IllegalArgumentException(
            "an event store was given for shard '"
                + id
                + "', which topology v"
                + router.topology().version()
                + " does not have; its shards are "
                + ordered.keySet());
      }
    }
    this.stores = Collections.unmodifiableMap(ordered);
  }

  /**
   * Starts a sharded store.
   *
   * @param router routes stream ids to shards
   * @return a builder
   */
  public static Builder builder(ShardRouter<String> router) {
    return new Builder(router);
  }

  /**
   * Appends to a stream on its shard; see {@link EventStore#append}.
   *
   * @param stream the stream id
   * @param expected the expected version
   * @param events the events
   * @return the result, with the position in the shard's order
   * @throws dev.lintel.eventsourcing.WrongExpectedVersionException as the shard's store throws it
   */
  public AppendResult append(String stream, ExpectedVersion expected, List<NewEvent> events) {
    return storeOf(stream).append(stream, expected, events);
  }

  /**
   * Reads a stream from its shard; see {@link EventStore#readStream}.
   *
   * @param stream the stream id
   * @param fromVersion the first version to read
   * @param max at most this many events
   * @return the events, in version order
   */
  public List<RecordedEvent> readStream(String stream, long fromVersion, int max) {
    return storeOf(stream).readStream(stream, fromVersion, max);
  }

  /**
   * Reads a stream's version from its shard.
   *
   * @param stream the stream id
   * @return its version, 0 if it does not exist
   */
  public long streamVersion(String stream) {
    return storeOf(stream).streamVersion(stream);
  }

  /**
   * Tells which shard owns a stream.
   *
   * @param stream the stream id
   * @return the shard id
   */
  public String shardOf(String stream) {
    return router.route(stream);
  }

  /**
   * Reads one shard's events in its global order; see {@link EventStore#readAll}.
   *
   * @param shardId the shard
   * @param fromPosition the first position of that shard to read
   * @param max at most this many events
   * @return the events, in that shard's position order
   * @throws ShardingException if there is no such shard
   */
  public List<RecordedEvent> readAll(String shardId, long fromPosition, int max) {
    return shard(shardId).readAll(fromPosition, max);
  }

  /**
   * Subscribes to one shard's events from a position of that shard; see {@link
   * EventStore#subscribeAll}.
   *
   * @param shardId the shard
   * @param fromPosition the first position to deliver
   * @param handler receives the events in that shard's order
   * @return the subscription
   * @throws ShardingException if there is no such shard
   */
  public Subscription subscribeAll(String shardId, long fromPosition, EventHandler handler) {
    return shard(shardId).subscribeAll(fromPosition, handler);
  }

  /**
   * Returns each shard's last position: the checkpoints of a reader that has read everything.
   *
   * @return shard id to last position, in topology order
   */
  public Map<String, Long> lastPositions() {
    Map<String, Long> positions = new LinkedHashMap<>();
    stores.forEach((id, store) -> positions.put(id, store.lastPosition()));
    return positions;
  }

  /**
   * Returns a shard's store.
   *
   * @param shardId the shard
   * @return its event store
   * @throws ShardingException if there is no such shard
   */
  public EventStore shard(String shardId) {
    EventStore store = stores.get(shardId);
    if (store == null) {
      throw new ShardingException(
          "the sharded event store has no shard '"
              + shardId
              + "'; its shards are "
              + stores.keySet());
    }
    return store;
  }

  private EventStore storeOf(String stream) {
    return stores.get(router.route(stream));
  }

  /** Collects the stores of a {@link ShardedEventStore}. Not thread-safe. */
  public static final class Builder {
    private final ShardRouter<String> router;
    private final Map<String, EventStore> stores = new HashMap<>();

    private Builder(ShardRouter<String> router) {
      this.router = Objects.requireNonNull(router, "router");
    }

    /**
     * Gives a shard's store.
     *
     * @param shardId the shard's id
     * @param store its event store
     * @return this builder
     * @throws IllegalStateException if that shard already has one
     */
    public Builder store(String shardId, EventStore store) {
      Objects.requireNonNull(store, "store");
      if (stores.putIfAbsent(Objects.requireNonNull(shardId, "shardId"), store) != null) {
        throw new IllegalStateException("shard '" + shardId + "' already has an event store");
      }
      return this;
    }

    /**
     * Builds the sharded store.
     *
     * @return the store
     * @throws IllegalArgumentException if a shard of the topology has no store, or a store was
     *     given for a shard the topology does not have
     */
    public ShardedEventStore build() {
      return new ShardedEventStore(this);
    }
  }
}
