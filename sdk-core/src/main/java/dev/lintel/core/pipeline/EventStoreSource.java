package dev.lintel.core.pipeline;

import dev.lintel.eventsourcing.EventStore;
import dev.lintel.eventsourcing.EventStoreException;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.eventsourcing.Subscription;
import dev.lintel.pipeline.Source;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every event of an event store in global order as a pipeline source. Its position is the
 * global position of the last event read, so a pipeline with checkpoints resumes after the last
 * event it finished; the store's own guarantees (no event skipped or seen twice by a reader moving
 * forwards) carry over.
 *
 * <p>{@link #catchUp(EventStore)} reads pages of {@value #PAGE} events through {@link
 * EventStore#readAll} and ends at the first empty page. {@link #live(EventStore)} reads through an
 * {@linkplain EventStore#subscribeAll subscription}: it catches up, then receives new events as the
 * store delivers them (pushed on PostgreSQL, polled adaptively elsewhere), until the pipeline
 * closes. The subscription hands events over through a buffer of {@value #PAGE}: when the pipeline
 * is slower than the store, the subscription waits, so memory stays bounded.
 *
 * <p>Read by one thread; {@link #stop()} may come from another.
 */
public final class EventStoreSource implements Source<RecordedEvent> {
  private static final Logger log = LoggerFactory.getLogger(EventStoreSource.class);

  /** Events read per page, and the size of the live source's hand-over buffer. */
  public static final int PAGE = 500;

  /** How often a waiting reader or a waiting subscription looks whether the source stopped. */
  private static final long STOP_CHECK_MILLIS = 50;

  private final EventStore store;
  private final ArrayDeque<RecordedEvent> page = new ArrayDeque<>();
  private final @Nullable BlockingQueue<RecordedEvent> handOver;
  private @Nullable Subscription subscription;
  private volatile long position;
  private volatile boolean stopped;

  private EventStoreSource(EventStore store, boolean live) {
    this.store = Objects.requireNonNull(store, "store");
    this.handOver = live ? new ArrayBlockingQueue<>(PAGE) : null;
  }

  /**
   * Reads the events stored now and those appended while reading, ending at the first empty page.
   *
   * @param store the event store
   * @return the source
   */
  public static EventStoreSource catchUp(EventStore store) {
    return new EventStoreSource(store, false);
  }

  /**
   * Reads the stored events, then new ones as they are committed, until the pipeline closes. The
   * subscription starts at the first read, after the position the pipeline resumes at.
   *
   * @param store the event store
   * @return the source
   */
  public static EventStoreSource live(EventStore store) {
    return new EventStoreSource(store, true);
  }

  @Override
  public @Nullable RecordedEvent read() throws InterruptedException {
    RecordedEvent event = handOver != null ? next() : nextOfPage();
    if (event != null) {
      position = event.position();
    }
    return event;
  }

  private @Nullable RecordedEvent nextOfPage() {
    if (page.isEmpty() && !stopped) {
      page.addAll(store.readAll(position + 1, PAGE));
    }
    return page.poll();
  }

  private @Nullable RecordedEvent next() throws InterruptedException {
    BlockingQueue<RecordedEvent> queue = Objects.requireNonNull(handOver);
    Subscription running = subscription;
    if (running == null) {
      running = store.subscribeAll(position + 1, this::handOver);
      subscription = running;
    }
    while (!stopped) {
      RecordedEvent event = queue.poll(STOP_CHECK_MILLIS, TimeUnit.MILLISECONDS);
      if (event != null) {
        return event;
      }
      if (!running.isRunning() && queue.isEmpty()) {
        Throwable failure = running.failure();
        if (failure != null && !stopped) {
          throw new EventStoreException(
              "The subscription of the event store source stopped after position "
                  + running.lastPosition(),
              failure);
        }
        return null;
      }
    }
    return null;
  }

  /**
   * The subscription's handler: waits for room in the buffer. Once the source stopped it lets the
   * event go: the pipeline will not read it, and its checkpoint (the last event read) is before it.
   */
  private void handOver(RecordedEvent event) throws InterruptedException {
    BlockingQueue<RecordedEvent> queue = Objects.requireNonNull(handOver);
    boolean handed = false;
    while (!handed && !stopped) { // full: the pipeline is slower; the subscription waits
      handed = queue.offer(event, STOP_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** Whether reads wait for new events (a live source) rather than end at the last one. */
  boolean waitsForEvents() {
    return handOver != null;
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
    if (subscription != null) {
      throw new IllegalStateException("the source was already read; resume before the first read");
    }
    page.clear();
    position = lastFinished;
  }

  @Override
  public void stop() {
    stopped = true;
  }

  /** Stops the subscription of a live source; the events it had handed over are not read. */
  @Override
  public void close() {
    stopped = true;
    Subscription running = subscription;
    if (running != null) {
      running.close();
      log.debug("Event store source closed after position {}", position);
    }
  }
}
