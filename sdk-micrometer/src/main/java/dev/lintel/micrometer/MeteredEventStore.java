package dev.lintel.micrometer;

import dev.lintel.TimeSource;
import dev.lintel.eventsourcing.AppendResult;
import dev.lintel.eventsourcing.EventHandler;
import dev.lintel.eventsourcing.EventIdConflictException;
import dev.lintel.eventsourcing.EventStore;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.eventsourcing.Subscription;
import dev.lintel.eventsourcing.WrongExpectedVersionException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EventStore} that times each append ({@code lintel.eventstore.appends}, tagged {@code
 * outcome=success|conflict|failure}) and counts the events of successful appends ({@code
 * lintel.eventstore.events}), then delegates. Reads and subscriptions pass through untouched.
 * Thread-safe as its delegate.
 */
final class MeteredEventStore implements EventStore {
  private final EventStore delegate;
  private final TimeSource time;
  private final LazyMeters<String, Timer> appends;
  private final LazyMeters<String, Counter> events;

  MeteredEventStore(EventStore delegate, String name, TimeSource time, MeterSink sink) {
    this.delegate = delegate;
    this.time = time;
    this.appends =
        new LazyMeters<>(
            sink,
            (outcome, registry) ->
                Timer.builder("lintel.eventstore.appends")
                    .description("Append calls and their latency")
                    .tag("store", name)
                    .tag("outcome", outcome)
                    .register(registry));
    this.events =
        new LazyMeters<>(
            sink,
            (unused, registry) ->
                Counter.builder("lintel.eventstore.events")
                    .description("Events written by successful appends")
                    .tag("store", name)
                    .baseUnit("events")
                    .register(registry));
  }

  @Override
  public AppendResult append(String stream, ExpectedVersion expected, List<NewEvent> events) {
    long start = time.nanoTime();
    String outcome = "failure";
    try {
      AppendResult result = delegate.append(stream, expected, events);
      outcome = "success";
      for (Counter counter : this.events.get("events")) {
        counter.increment(events.size());
      }
      return result;
    } catch (WrongExpectedVersionException | EventIdConflictException e) {
      outcome = "conflict";
      throw e;
    } finally {
      long took = time.nanoTime() - start;
      for (Timer timer : appends.get(outcome)) {
        timer.record(took, TimeUnit.NANOSECONDS);
      }
    }
  }

  @Override
  public List<RecordedEvent> readStream(String stream, long fromVersion, int max) {
    return delegate.readStream(stream, fromVersion, max);
  }

  @Override
  public long streamVersion(String stream) {
    return delegate.streamVersion(stream);
  }

  @Override
  public List<RecordedEvent> readAll(long fromPosition, int max) {
    return delegate.readAll(fromPosition, max);
  }

  @Override
  public long lastPosition() {
    return delegate.lastPosition();
  }

  @Override
  public Subscription subscribeAll(long fromPosition, EventHandler handler) {
    return delegate.subscribeAll(fromPosition, handler);
  }

  @Override
  public String toString() {
    return "Metered(" + delegate + ")";
  }
}
