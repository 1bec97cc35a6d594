package dev.lintel.eventsourcing;

import java.util.List;

/**
 * An append-only store of event streams with one global order.
 *
 * <p><b>Guarantees.</b> An append is atomic (all its events or none) and checked against the
 * stream's expected version (optimistic concurrency). It is idempotent by event id: retrying a
 * batch whose events were already written returns the original result and writes nothing; a batch
 * that mixes written and new ids is rejected. Within a stream, versions are contiguous from 1.
 * Globally, positions increase in commit order, so a reader that has seen position {@code p} will
 * never later see a newly committed event below {@code p}: tailing {@link #readAll} never skips or
 * repeats an event.
 *
 * <p><b>Bad input.</b> A {@code null} argument (or a {@code null} event in a list) throws a {@link
 * NullPointerException} naming the parameter, as the JDK's own collections do; every other bad
 * argument throws an {@link IllegalArgumentException} naming the stream, event or value. Either way
 * nothing is sent to the storage and nothing is written.
 *
 * <p>All methods are thread-safe and blocking; call them from threads that may block (not event
 * loops). Failures of the underlying storage are {@link EventStoreException}s, and nothing partial
 * is committed.
 */
public interface EventStore {

  /**
   * Appends events to a stream.
   *
   * @param stream the stream id: not blank, at most 200 characters (UTF-16 units), no control
   *     character (U+0000-U+001F, U+007F-U+009F) and no unpaired surrogate
   * @param expected the version the writer expects the stream to have
   * @param events the events, at least one
   * @return the new stream version and the positions written
   * @throws WrongExpectedVersionException if the stream's version does not match; nothing written
   * @throws EventIdConflictException if some but not all event ids are already stored
   * @throws NullPointerException if an argument or an event is null; nothing written
   * @throws IllegalArgumentException for a bad stream id, no events, or an event the store cannot
   *     serialize or that exceeds its size limit; nothing written
   * @throws EventStoreException if the storage fails; nothing written
   */
  AppendResult append(String stream, ExpectedVersion expected, List<NewEvent> events);

  /**
   * Reads a stream forwards.
   *
   * @param stream the stream id
   * @param fromVersion the first version to read, from 1
   * @param max the most events to return, positive
   * @return the events in version order; empty if the stream does not exist or has fewer events
   * @throws IllegalArgumentException for a bad stream id, a version below 1 or a non-positive max
   */
  List<RecordedEvent> readStream(String stream, long fromVersion, int max);

  /**
   * Reads the version of a stream.
   *
   * @param stream the stream id
   * @return its number of events, 0 if it does not exist
   */
  long streamVersion(String stream);

  /**
   * Reads all streams in global order.
   *
   * @param fromPosition the first position to read, from 1
   * @param max the most events to return, positive
   * @return committed events with position at least {@code fromPosition}, in position order
   * @throws IllegalArgumentException for a position below 1 or a non-positive max
   */
  List<RecordedEvent> readAll(long fromPosition, int max);

  /**
   * Reads the position of the newest committed event.
   *
   * @return that position, 0 for an empty store
   */
  long lastPosition();

  /**
   * Subscribes to all events from a position: catches up on stored ones, then delivers new ones as
   * they commit, until closed or the handler fails.
   *
   * @param fromPosition the first position to deliver, from 1
   * @param handler receives each event once, in global order, on the subscription's thread
   * @return the running subscription
   */
  Subscription subscribeAll(long fromPosition, EventHandler handler);
}
