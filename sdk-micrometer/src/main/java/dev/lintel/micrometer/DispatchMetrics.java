package dev.lintel.micrometer;

import dev.lintel.core.cqrs.DispatchTimer;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Times one bus's dispatches per message type ({@code lintel.commands} or {@code lintel.queries}).
 * The {@code type} tag is bounded: after {@code maxTypes} distinct message types, further types
 * share the tag value {@value #OTHER}. The timers of a type are looked up in a map after the first
 * dispatch, so recording allocates nothing. Thread-safe.
 */
final class DispatchMetrics implements DispatchTimer {
  static final String OTHER = "other";

  private final String name;
  private final String description;
  private final MeterSink sink;
  private final int maxTypes;
  private final ConcurrentHashMap<Class<?>, Timers> byType = new ConcurrentHashMap<>();
  private final AtomicInteger namedTypes = new AtomicInteger();

  DispatchMetrics(String name, String description, MeterSink sink, int maxTypes) {
    this.name = name;
    this.description = description;
    this.sink = sink;
    this.maxTypes = maxTypes;
    sink.onRebind(this::forget);
  }

  @Override
  public void record(Class<?> messageType, long nanos, boolean succeeded) {
    Timers timers = byType.get(messageType);
    if (timers == null) {
      timers = byType.computeIfAbsent(messageType, this::timersFor);
    }
    List<Timer> chosen = succeeded ? timers.success : timers.failure;
    for (int i = 0; i < chosen.size(); i++) {
      chosen.get(i).record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  private Timers timersFor(Class<?> type) {
    String tag = type.getName();
    if (namedTypes.get() >= maxTypes || namedTypes.incrementAndGet() > maxTypes) {
      tag = OTHER;
    }
    return new Timers(timers(tag, "success"), timers(tag, "failure"));
  }

  private List<Timer> timers(String type, String outcome) {
    return sink.registerEverywhere(
        registry ->
            Timer.builder(name)
                .description(description)
                .tag("type", type)
                .tag("outcome", outcome)
                .register(registry));
  }

  /** Drops the timers looked up so far: the registries changed. */
  private void forget() {
    byType.clear();
    namedTypes.set(0);
  }

  /** The timers of one message type, one per bound registry. */
  private record Timers(List<Timer> success, List<Timer> failure) {}
}
