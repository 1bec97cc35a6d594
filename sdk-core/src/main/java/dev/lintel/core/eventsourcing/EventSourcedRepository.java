package dev.lintel.core.eventsourcing;

import dev.lintel.cqrs.Command;
import dev.lintel.cqrs.CommandHandler;
import dev.lintel.eventsourcing.AppendResult;
import dev.lintel.eventsourcing.EventStore;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.eventsourcing.Snapshot;
import dev.lintel.eventsourcing.SnapshotStore;
import dev.lintel.eventsourcing.WrongExpectedVersionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads aggregates from their streams (from the latest snapshot plus the events after it) and saves
 * their new events with the version they were loaded at, so a concurrent change is a {@link
 * WrongExpectedVersionException} rather than a lost update.
 *
 * <pre>{@code
 * EventSourcedRepository<Account> accounts =
 *     EventSourcedRepository.builder(store, Account::new)
 *         .streamPrefix("account-")
 *         .snapshots(snapshotStore, 100)
 *         .retryOnConflict(3)
 *         .build();
 * commands.register(Withdraw.class, accounts.handler(Withdraw::accountId, Account::withdraw));
 * }</pre>
 *
 * <p>Thread-safe: each call works on its own aggregate instance.
 *
 * @param <A> the aggregate type
 */
public final class EventSourcedRepository<A extends AggregateRoot> {
  private static final Logger log = LoggerFactory.getLogger(EventSourcedRepository.class);
  private static final int PAGE = 1_000;

  private final EventStore store;
  private final Supplier<A> factory;
  private final String streamPrefix;
  private final @Nullable SnapshotStore snapshots;
  private final long snapshotEvery;
  private final int retries;

  private EventSourcedRepository(Builder<A> builder) {
    this.store = builder.store;
    this.factory = builder.factory;
    this.streamPrefix = builder.streamPrefix;
    this.snapshots = builder.snapshots;
    this.snapshotEvery = builder.snapshotEvery;
    this.retries = builder.retries;
  }

  /**
   * Starts building a repository.
   *
   * @param store where the aggregates' events are
   * @param factory creates an empty aggregate
   * @param <A> the aggregate type
   * @return a builder
   */
  public static <A extends AggregateRoot> Builder<A> builder(
      EventStore store, Supplier<A> factory) {
    return new Builder<>(store, factory);
  }

  /**
   * Names the stream of an aggregate.
   *
   * @param id the aggregate's id
   * @return the stream id
   */
  public String streamOf(String id) {
    return streamPrefix + Objects.requireNonNull(id, "id");
  }

  /**
   * Loads an aggregate; one with no events is returned empty, at version 0.
   *
   * @param id the aggregate's id
   * @return the aggregate at its latest version
   */
  @SuppressWarnings("unchecked")
  public A load(String id) {
    String stream = streamOf(id);
    A aggregate = factory.get();
    long from = 1;
    if (snapshots != null && aggregate instanceof Snapshotting<?> snapshotting) {
      Optional<Snapshot> snapshot = latestSnapshot(stream);
      if (snapshot.isPresent()) {
        ((Snapshotting<Object>) snapshotting).restore(snapshot.get().state());
        aggregate.restoredAt(snapshot.get().version());
        from = snapshot.get().version() + 1;
      }
    }
    while (true) {
      List<RecordedEvent> page = store.readStream(stream, from, PAGE);
      for (RecordedEvent event : page) {
        aggregate.replay(event.data(), event.version());
      }
      if (page.size() < PAGE) {
        return aggregate;
      }
      from = page.get(page.size() - 1).version() + 1;
    }
  }

  /**
   * Saves the aggregate's pending events, expecting the stream at the version it was loaded at.
   *
   * @param id the aggregate's id
   * @param aggregate the aggregate
   * @return the append's result, or null if there was nothing to save
   * @throws WrongExpectedVersionException if the stream changed since the aggregate was loaded
   */
  public @Nullable AppendResult save(String id, A aggregate) {
    return save(id, aggregate, Map.of());
  }

  /**
   * Saves the aggregate's pending events with metadata (for example correlation and causation ids).
   *
   * @param id the aggregate's id
   * @param aggregate the aggregate
   * @param metadata metadata stored with every event
   * @return the append's result, or null if there was nothing to save
   * @throws WrongExpectedVersionException if the stream changed since the aggregate was loaded
   */
  public @Nullable AppendResult save(String id, A aggregate, Map<String, String> metadata) {
    List<Object> pending = aggregate.pendingEvents();
    if (pending.isEmpty()) {
      return null;
    }
    List<NewEvent> events = new ArrayList<>(pending.size());
    for (Object event : pending) {
      events.add(new NewEvent(java.util.UUID.randomUUID(), event, metadata));
    }
    long before = aggregate.version();
    String stream = streamOf(id);
    AppendResult result = store.append(stream, ExpectedVersion.exactly(before), events);
    aggregate.saved(result.version());
    if (snapshots != null
        && aggregate instanceof Snapshotting<?> snapshotting
        && result.version() / snapshotEvery > before / snapshotEvery) {
      takeSnapshot(stream, result.version(), snapshotting);
    }
    return result;
  }

  /**
   * Loads an aggregate, runs an action on it and saves what it raised; on a version conflict it
   * starts again from a fresh load, up to the configured number of retries.
   *
   * @param id the aggregate's id
   * @param action decides, raising events, and returns a result
   * @param <R> the result type
   * @return the action's result
   * @throws WrongExpectedVersionException if conflicts outlast the retries
   */
  public <R> R execute(String id, Function<? super A, R> action) {
    for (int attempt = 0; ; attempt++) {
      A aggregate = load(id);
      R result = action.apply(aggregate);
      try {
        save(id, aggregate);
        return result;
      } catch (WrongExpectedVersionException conflict) {
        if (attempt >= retries) {
          throw conflict;
        }
        log.debug("Retrying on aggregate '{}' after a conflict: {}", id, conflict.getMessage());
      }
    }
  }

  /**
   * Adapts an aggregate method into a command handler: the command names the aggregate, the method
   * decides, and the repository loads, saves and retries.
   *
   * @param idOf finds the aggregate id in the command
   * @param action runs the command on the aggregate
   * @param <C> the command type
   * @param <R> its result type
   * @return a handler to register with a command bus
   */
  public <C extends Command<R>, R> CommandHandler<C, R> handler(
      Function<? super C, String> idOf, BiFunction<? super A, ? super C, R> action) {
    Objects.requireNonNull(idOf, "idOf");
    Objects.requireNonNull(action, "action");
    return command -> execute(idOf.apply(command), aggregate -> action.apply(aggregate, command));
  }

  private Optional<Snapshot> latestSnapshot(String stream) {
    try {
      return Objects.requireNonNull(snapshots).latest(stream);
    } catch (RuntimeException e) {
      log.warn("Snapshot of '{}' could not be read; replaying the whole stream", stream, e);
      return Optional.empty();
    }
  }

  private void takeSnapshot(String stream, long version, Snapshotting<?> aggregate) {
    try {
      Objects.requireNonNull(snapshots).save(new Snapshot(stream, version, aggregate.snapshot()));
    } catch (RuntimeException e) {
      log.warn("Snapshot of '{}' at version {} could not be saved", stream, version, e);
    }
  }

  /**
   * Builds an {@link EventSourcedRepository}. Not thread-safe.
   *
   * @param <A> the aggregate type
   */
  public static final class Builder<A extends AggregateRoot> {
    private final EventStore store;
    private final Supplier<A> factory;
    private String streamPrefix = "";
    private @Nullable SnapshotStore snapshots;
    private long snapshotEvery = Long.MAX_VALUE;
    private int retries;

    private Builder(EventStore store, Supplier<A> factory) {
      this.store = Objects.requireNonNull(store, "store");
      this.factory = Objects.requireNonNull(factory, "factory");
    }

    /**
     * Prefixes every aggregate id to form its stream id, for example {@code "account-"}.
     *
     * @param prefix the prefix
     * @return this builder
     */
    public Builder<A> streamPrefix(String prefix) {
      this.streamPrefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /**
     * Loads from snapshots and takes one whenever a save crosses a multiple of {@code everyEvents};
     * only aggregates implementing {@link Snapshotting} are snapshotted.
     *
     * @param store where snapshots are kept
     * @param everyEvents how many events between snapshots
     * @return this builder
     * @throws IllegalArgumentException if everyEvents is not positive
     */
    public Builder<A> snapshots(SnapshotStore store, long everyEvents) {
      if (everyEvents < 1) {
        throw new IllegalArgumentException(
            "snapshot interval must be positive but was " + everyEvents);
      }
      this.snapshots = Objects.requireNonNull(store, "store");
      this.snapshotEvery = everyEvents;
      return this;
    }

    /**
     * Retries {@link EventSourcedRepository#execute} from a fresh load after a version conflict;
     * none by default.
     *
     * @param times how many retries
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder<A> retryOnConflict(int times) {
      if (times < 0) {
        throw new IllegalArgumentException("retries must not be negative but was " + times);
      }
      this.retries = times;
      return this;
    }

    /**
     * Builds the repository.
     *
     * @return the repository
     */
    public EventSourcedRepository<A> build() {
      return new EventSourcedRepository<>(this);
    }
  }
}
