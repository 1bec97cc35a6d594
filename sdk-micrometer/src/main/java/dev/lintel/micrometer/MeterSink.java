package dev.lintel.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The registries one {@link LintelMetrics} is bound to and every meter it registered in each, so
 * that binding twice registers nothing twice and closing removes exactly its own meters. Meters are
 * created and removed under one lock, so a meter created while closing cannot outlive the close.
 * Thread-safe.
 */
final class MeterSink {
  private final List<Consumer<MeterRegistry>> fixedMeters = new ArrayList<>();
  private final List<Runnable> onRebind = new CopyOnWriteArrayList<>();
  private final Map<MeterRegistry, List<Meter>> owned = new IdentityHashMap<>();
  private volatile List<MeterRegistry> registries = List.of();
  private boolean closed;

  /** Adds meters that exist for the sink's whole life; call before the first bind. */
  synchronized void fixed(Consumer<MeterRegistry> registrar) {
    fixedMeters.add(registrar);
  }

  /** Runs after each change of the registries, so that lazily created meters are dropped. */
  void onRebind(Runnable listener) {
    onRebind.add(listener);
  }

  /**
   * Binds a registry once; binding it again changes nothing.
   *
   * @throws IllegalStateException if the sink was closed
   */
  synchronized void bind(MeterRegistry registry) {
    if (closed) {
      throw new IllegalStateException("LintelMetrics was closed; build a new one to bind again");
    }
    if (owned.containsKey(registry)) {
      return;
    }
    owned.put(registry, new ArrayList<>());
    List<MeterRegistry> next = new ArrayList<>(registries);
    next.add(registry);
    registries = List.copyOf(next);
    for (Consumer<MeterRegistry> registrar : fixedMeters) {
      registrar.accept(registry);
    }
    onRebind.forEach(Runnable::run);
  }

  /** The registries bound now; empty before binding and after closing. */
  List<MeterRegistry> registries() {
    return registries;
  }

  /**
   * Registers a meter in every bound registry and remembers it for removal.
   *
   * @return the meters, one per registry; empty once closed
   */
  synchronized <M extends Meter> List<M> registerEverywhere(Function<MeterRegistry, M> create) {
    if (closed) {
      return List.of();
    }
    List<M> meters = new ArrayList<>(registries.size());
    for (MeterRegistry registry : registries) {
      meters.add(track(registry, create.apply(registry)));
    }
    return List.copyOf(meters);
  }

  /** Remembers a meter registered in a registry, for removal at close. */
  synchronized <M extends Meter> M track(MeterRegistry registry, M meter) {
    List<Meter> meters = owned.get(registry);
    if (meters != null && !meters.contains(meter)) {
      meters.add(meter);
    }
    return meter;
  }

  /** Removes every meter registered through this sink and refuses further binding. Idempotent. */
  synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    owned.forEach((registry, meters) -> meters.forEach(registry::remove));
    owned.clear();
    registries = List.of();
    onRebind.forEach(Runnable::run);
  }

  synchronized boolean isClosed() {
    return closed;
  }
}
