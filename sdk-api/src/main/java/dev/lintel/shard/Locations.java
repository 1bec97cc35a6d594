package dev.lintel.shard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Validation of a {@link ShardStrategy.Geo}: every declared location and the default resolve,
 * through their fallback chains, to a location with a strategy; no chain loops.
 */
final class Locations {
  private Locations() {}

  static Map<String, ShardStrategy> validate(
      @Nullable Map<String, ShardStrategy> locations,
      @Nullable Map<String, String> fallbacks,
      @Nullable String defaultLocation) {
    if (locations == null || locations.isEmpty()) {
      throw new InvalidTopologyException("a geo strategy needs at least one location");
    }
    Objects.requireNonNull(fallbacks, "fallbacks");
    locations.forEach(
        (location, strategy) -> {
          Names.location(location, "location");
          Objects.requireNonNull(strategy, () -> "strategy of location " + location);
          if (fallbacks.containsKey(location)) {
            throw new InvalidTopologyException(
                "location '"
                    + location
                    + "' has a strategy and also falls back to '"
                    + fallbacks.get(location)
                    + "'; give it one or the other");
          }
        });
    for (String location : fallbacks.keySet()) {
      Names.location(location, "location");
      resolve(location, locations, fallbacks);
    }
    if (defaultLocation != null) {
      Names.location(defaultLocation, "default location");
      if (!locations.containsKey(defaultLocation) && !fallbacks.containsKey(defaultLocation)) {
        throw new InvalidTopologyException(
            "default location '" + defaultLocation + "' has no strategy and no fallback");
      }
    }
    return Collections.unmodifiableMap(new TreeMap<>(locations));
  }

  private static void resolve(
      String location, Map<String, ShardStrategy> locations, Map<String, String> fallbacks) {
    List<String> chain = new ArrayList<>();
    String current = location;
    while (!locations.containsKey(current)) {
      if (chain.contains(current)) {
        chain.add(current);
        throw new InvalidTopologyException("fallback cycle: " + String.join(" -> ", chain));
      }
      chain.add(current);
      String next = fallbacks.get(current);
      if (next == null) {
        throw new InvalidTopologyException(
            "region '"
                + current
                + "' has no strategy and no fallback (reached by "
                + String.join(" -> ", chain)
                + ")");
      }
      Names.location(next, "fallback of '" + current + "'");
      current = next;
    }
  }
}
