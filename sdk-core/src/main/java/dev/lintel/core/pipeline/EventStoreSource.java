package dev.lintel.core.pipeline;

import dev.lintel.eventsourcing.EventStore;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.pipeline.Source;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Reads every event of an event store in global order, in pages, as a pipeline source. Its position
 * is the global position of the last event read, so a pipeline with checkpoints resumes after the
 * last event it finished; the store's own guarantees (no event skipped or seen twice by a reader
 * moving forwards) carry over.
 *
 * <p>{@link #catchUp(EventStore)} ends at the first empty page; {@link #tailing(EventStore,
 * Duration)} then keeps polling for new events until the pipeline closes. Read by one thread.
 */
public final class EventStoreSource implements Source<RecordedEvent> {
  /** Events read per page. */
  public static final int PAGE = 500;

  private final EventStore store;
  private final @Nullable Duration pollInterval;
  private final ArrayDeque<RecordedEvent> page = new ArrayDeque<>();
  private volatile long position;
  private volatile boolean stopped;

  private EventStoreSource(EventStore store, @Nullable Duration pollInterval) {
    this.store = Objects.requireNonNull(store, "store");
    this.pollInterval = pollInterval;
  }

  /**
   * Reads the events stored now and those appended while reading, ending at the first empty page.
   *
   * @param store the event store
   * @return the source
   */
  public static EventStoreSource catchUp(EventStore store) {
    return new EventStoreSource(store, null);
  }

  /**
   * Reads the stored events, then polls for new ones every {@code pollInterval} until the pipeline
   * closes.
   *
   * @param store the event store
   * @param pollInterval the wait between polls when there is nothing new, positive
   * @return the source
   * @throws IllegalArgumentException if the interval is not positive
   */
  public static EventStoreSource tailing(EventStore store, Duration pollInterval) {
    Objects.requireNonNull(pollInterval, "pollInterval");
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("pollInterval must be positive but was " + pollInterval);
    }
    return new EventStoreSource(store, pollInterval);
  }

  @Override
  public @Nullable RecordedEvent read() throws InterruptedException {
    while (page.isEmpty()) {
      if (stopped) {
        return null;
      }
      List<RecordedEvent> next = store.readAll(position + 1, PAGE);
      if (!next.isEmpty()) {
        page.addAll(next);
      } else if (pollInterval == null) {
        return null;
      } else {
        TimeUnit.NANOSECONDS.sleep(pollInterval.toNanos());
      }
    }
    RecordedEvent event = page.poll();
    position = event.position();
    return event;
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public long length() {
    return store.lastPosition();
  }

  @Override
  public void resumeAt(long lastFinished) {
    if (lastFinished < 0) {
      throw new IllegalArgumentException("position must not be negative but was " + lastFinished);
    }
    page.clear();
    position = lastFinished;
  }

  @Override
  public void stop() {
    stopped = true;
  }
}
