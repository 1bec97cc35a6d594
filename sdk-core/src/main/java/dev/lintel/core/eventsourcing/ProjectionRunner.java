package dev.lintel.core.eventsourcing;

import dev.lintel.Lifecycle;
import dev.lintel.eventsourcing.CheckpointStore;
import dev.lintel.eventsourcing.EventStore;
import dev.lintel.eventsourcing.Projection;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.eventsourcing.Subscription;
import dev.lintel.health.Health;
import dev.lintel.health.HealthCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a {@link Projection} every event after its checkpoint, in global order, and stores the
 * checkpoint as it goes.
 *
 * <ul>
 *   <li><b>Delivery.</b> At least once: the checkpoint is stored after the handler returns (every
 *       {@code checkpointEvery} events, and when the runner stops), so a crash replays at most the
 *       events since. A projection that {@linkplain Projection#storesCheckpoint() stores its own
 *       checkpoint} in its read model's transaction gets exactly-once effects.
 *   <li><b>Failure.</b> A handler that throws stops the projection at that event, with a {@link
 *       ProjectionException} naming the position; the event is not checkpointed, so after a restart
 *       it is delivered again: nothing is skipped. {@link #health()} reports it DOWN meanwhile.
 *   <li><b>Replay.</b> {@link #replay()} stops, resets the read model, sets the checkpoint to 0 and
 *       starts again, reporting progress (events done, rate, time left) to the listener and the
 *       log.
 * </ul>
 *
 * <p>It is a {@link Lifecycle} component: a runtime starts it and, on graceful shutdown, stops it
 * and stores its last checkpoint. Thread-safe.
 */
public final class ProjectionRunner implements Lifecycle {
  private static final Logger log = LoggerFactory.getLogger(ProjectionRunner.class);

  private final EventStore store;
  private final CheckpointStore checkpoints;
  private final Projection projection;
  private final int checkpointEvery;
  private final Consumer<ProjectionProgress> progressListener;
  private final Duration progressInterval;

  private volatile @Nullable Subscription subscription;
  private volatile long lastHandled;
  private volatile @Nullable Instant lastHandledTimestamp;
  private volatile long lastStored;
  private volatile @Nullable ProjectionException failure;
  private @Nullable Replay replay;

  private ProjectionRunner(Builder builder) {
    this.store = builder.store;
    this.checkpoints = builder.checkpoints;
    this.projection = builder.projection;
    this.checkpointEvery = builder.checkpointEvery;
    this.progressListener = builder.progressListener;
    this.progressInterval = builder.progressInterval;
  }

  /**
   * Starts building a runner.
   *
   * @param store where the events come from
   * @param checkpoints where the projection's checkpoint is kept
   * @param projection the projection
   * @return a builder
   */
  public static Builder builder(
      EventStore store, CheckpointStore checkpoints, Projection projection) {
    return new Builder(store, checkpoints, projection);
  }

  @Override
  public String name() {
    return "projection:" + projection.name();
  }

  /**
   * Starts delivering from the stored checkpoint; does nothing if already running.
   *
   * @throws IllegalStateException never; declared by {@link Lifecycle}
   */
  @Override
  public synchronized void start() {
    if (subscription != null && subscription.isRunning()) {
      return;
    }
    failure = null;
    long checkpoint = checkpoints.load(projection.name());
    lastHandled = checkpoint;
    lastStored = checkpoint;
    log.info("Projection '{}' starting after position {}", projection.name(), checkpoint);
    subscription = store.subscribeAll(checkpoint + 1, this::deliver);
  }

  /** Stops delivering and stores the last checkpoint. Idempotent. */
  @Override
  public synchronized void stop() {
    Subscription running = subscription;
    subscription = null;
    if (running != null) {
      running.close();
    }
    storeCheckpoint();
  }

  /**
   * Starts over: stops, resets the read model, sets the checkpoint to 0 and starts again, reporting
   * progress until it catches up with the position the store had now.
   *
   * @throws ProjectionException wrapping the failure if the read model cannot be reset
   */
  public synchronized void replay() {
    stop();
    try {
      projection.reset();
    } catch (Exception e) {
      throw new ProjectionException(projection.name(), 0, e);
    }
    checkpoints.save(projection.name(), 0);
    long target = store.lastPosition();
    log.info("Projection '{}' replaying {} events", projection.name(), target);
    Replay current = new Replay(target, System.nanoTime());
    replay = current;
    start();
    if (target <= 0) {
      current.report(0); // nothing to replay: caught up at once
    }
  }

  /**
   * Tells the position of the last event handled.
   *
   * @return the position, 0 before any
   */
  public long position() {
    return lastHandled;
  }

  /**
   * Counts the events the store holds after the last one handled, for metrics. Reads the store's
   * last position, so it may block briefly on a database.
   *
   * @return how many events the projection is behind the head; 0 when caught up
   */
  public long lag() {
    return Math.max(0, store.lastPosition() - lastHandled);
  }

  /**
   * Tells when the last event handled since this runner was built was recorded, for metrics (how
   * far behind the head the projection is in time).
   *
   * @return the event's timestamp, or null before the first event
   */
  public @Nullable Instant lastHandledTimestamp() {
    return lastHandledTimestamp;
  }

  /**
   * Tells why the projection stopped: its handler failed, or an event after its position could not
   * be read (for example an unknown type).
   *
   * @return the failure naming the position, or null while healthy
   */
  public @Nullable ProjectionException failure() {
    ProjectionException failed = failure;
    if (failed != null) {
      return failed;
    }
    Subscription current = subscription;
    Throwable stopped = current == null ? null : current.failure();
    // Reading failed for good (an event that cannot be deserialized): the next event is stuck.
    return stopped == null
        ? null
        : new ProjectionException(projection.name(), lastHandled + 1, stopped);
  }

  /**
   * Reports the projection as a health check: UP while running, DOWN with the position and cause
   * once it has stopped on a failure.
   *
   * @return the health check
   */
  public HealthCheck health() {
    return () -> {
      ProjectionException failed = failure();
      if (failed != null) {
        return Health.down(failed.getMessage() + ": " + failed.getCause());
      }
      return Health.up("at position " + lastHandled);
    };
  }

  private void deliver(RecordedEvent event) throws Exception {
    try {
      projection.handle(event);
    } catch (Exception | Error e) {
      ProjectionException stopped = new ProjectionException(projection.name(), event.position(), e);
      failure = stopped;
      storeCheckpoint();
      throw stopped;
    }
    lastHandledTimestamp = event.timestamp();
    lastHandled = event.position();
    if (lastHandled - lastStored >= checkpointEvery) {
      storeCheckpoint();
    }
    Replay current = replay;
    if (current != null) {
      current.report(lastHandled);
    }
  }

  private void storeCheckpoint() {
    long position = lastHandled;
    if (position != lastStored && !projection.storesCheckpoint()) {
      checkpoints.save(projection.name(), position);
    }
    lastStored = position;
  }

  /** Progress of one replay; reported at most once per interval, and when caught up. */
  private final class Replay {
    private final long target;
    private final long startNanos;
    private final long startPosition;
    private long lastReportNanos;
    private boolean done;

    Replay(long target, long startNanos) {
      this.target = target;
      this.startNanos = startNanos;
      this.startPosition = 0;
      this.lastReportNanos = startNanos;
    }

    void report(long position) {
      long now = System.nanoTime();
      boolean caughtUp = position >= target;
      if (done || (!caughtUp && now - lastReportNanos < progressInterval.toNanos())) {
        return;
      }
      lastReportNanos = now;
      done = caughtUp;
      long eventsDone = position - startPosition;
      double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
      double rate = eventsDone / seconds;
      Duration remaining =
          rate > 0
              ? Duration.ofMillis((long) (Math.max(0, target - position) / rate * 1000))
              : null;
      ProjectionProgress progress =
          new ProjectionProgress(projection.name(), position, target, eventsDone, rate, remaining);
      log.info(
          "Projection '{}' replay at {}/{} ({} events/s, {} left)",
          projection.name(),
          position,
          target,
          Math.round(rate),
          remaining);
      try {
        progressListener.accept(progress);
      } catch (RuntimeException e) {
        log.warn("Progress listener of projection '{}' failed", projection.name(), e);
      }
    }
  }

  /** Builds a {@link ProjectionRunner}. Not thread-safe. */
  public static final class Builder {
    private final EventStore store;
    private final CheckpointStore checkpoints;
    private final Projection projection;
    private int checkpointEvery = 1;
    private Consumer<ProjectionProgress> progressListener = progress -> {};
    private Duration progressInterval = Duration.ofSeconds(1);

    private Builder(EventStore store, CheckpointStore checkpoints, Projection projection) {
      this.store = Objects.requireNonNull(store, "store");
      this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
      this.projection = Objects.requireNonNull(projection, "projection");
    }

    /**
     * Stores the checkpoint after every {@code events} events instead of after each one; fewer
     * writes, more events replayed after a crash. The checkpoint is always stored on stop.
     *
     * @param events how many events between checkpoints
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder checkpointEvery(int events) {
      if (events < 1) {
        throw new IllegalArgumentException("checkpointEvery must be positive but was " + events);
      }
      this.checkpointEvery = events;
      return this;
    }

    /**
     * Receives replay progress, at most once per interval and once when caught up.
     *
     * @param listener the listener, called on the projection's thread
     * @param interval the least time between reports
     * @return this builder
     */
    public Builder onProgress(Consumer<ProjectionProgress> listener, Duration interval) {
      this.progressListener = Objects.requireNonNull(listener, "listener");
      this.progressInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /**
     * Builds the runner; start it with {@link ProjectionRunner#start()} or add it to a runtime.
     *
     * @return the runner
     */
    public ProjectionRunner build() {
      return new ProjectionRunner(this);
    }
  }
}
