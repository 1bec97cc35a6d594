package dev.lintel.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Meters created on first use for a key (a status code, a reason), one per bound registry, and
 * looked up in a map afterwards. Dropped when the registries change. The caller bounds the keys.
 * Thread-safe.
 *
 * @param <K> the key
 * @param <M> the meter type
 */
final class LazyMeters<K, M extends Meter> {
  private final MeterSink sink;
  private final BiFunction<K, MeterRegistry, M> create;
  private final ConcurrentHashMap<K, List<M>> byKey = new ConcurrentHashMap<>();

  LazyMeters(MeterSink sink, BiFunction<K, MeterRegistry, M> create) {
    this.sink = sink;
    this.create = create;
    sink.onRebind(byKey::clear);
  }

  /** The key's meters, one per bound registry; empty while unbound or once closed. */
  List<M> get(K key) {
    List<M> meters = byKey.get(key);
    if (meters == null) {
      meters = byKey.computeIfAbsent(key, k -> sink.registerEverywhere(r -> create.apply(k, r)));
    }
    return meters;
  }
}
