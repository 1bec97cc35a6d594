package dev.lintel.shard;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link Topology} maps keys to shards: one of seven immutable strategies, which nest (a
 * {@link Geo} location or a {@link Directory} fallback holds another strategy, so "by region, then
 * by hash within the region" is a geo strategy whose locations are jump strategies).
 *
 * <p>Hash-based strategies ({@link Jump}, {@link Rendezvous}, {@link Ring}) route by a stable
 * 64-bit hash of the key's bytes (XXH64, seed 0, in {@code sdk-core}); the hash and the algorithms
 * are part of the stored layout and never change within a major version. Every strategy is
 * validated when built and throws {@link InvalidTopologyException} naming the problem.
 */
public sealed interface ShardStrategy
    permits ShardStrategy.Jump,
        ShardStrategy.Rendezvous,
        ShardStrategy.Ring,
        ShardStrategy.Range,
        ShardStrategy.Geo,
        ShardStrategy.Directory,
        ShardStrategy.Single {

  /**
   * Returns every shard id this strategy, and each strategy nested in it, can route to.
   *
   * @return the ids, in the order they appear
   */
  Set<String> shardIds();

  /**
   * Jump consistent hash over buckets: bucket {@code i} is shard {@code buckets.get(i)}.
   *
   * @param buckets the shard ids in bucket order
   * @return the strategy
   * @throws InvalidTopologyException if the list is empty or names a shard twice
   */
  static Jump jump(String... buckets) {
    return new Jump(Arrays.asList(buckets));
  }

  /**
   * Weighted rendezvous (highest random weight) hashing over shards.
   *
   * @param shards the shard ids
   * @return the strategy
   * @throws InvalidTopologyException if the list is empty or names a shard twice
   */
  static Rendezvous rendezvous(String... shards) {
    return new Rendezvous(Arrays.asList(shards));
  }

  /**
   * A consistent-hash ring with virtual nodes.
   *
   * @param virtualNodes points per unit of shard weight, 1 to 10,000
   * @param shards the shard ids
   * @return the strategy
   * @throws InvalidTopologyException if the list is empty, names a shard twice, or the number of
   *     virtual nodes is out of range
   */
  static Ring ring(int virtualNodes, String... shards) {
    return new Ring(Arrays.asList(shards), virtualNodes);
  }

  /**
   * Ranges of keys, each owned by one shard.
   *
   * @param keyType how boundaries are read and ordered
   * @param ranges the ranges, in any order; together they must cover every key exactly once
   * @return the strategy, with its ranges sorted
   * @throws InvalidTopologyException if ranges overlap, leave a hole, have a closed outer end, or a
   *     boundary cannot be read; the message names the ranges
   */
  static Range range(RangeKeyType keyType, KeyRange... ranges) {
    return new Range(keyType, Arrays.asList(ranges));
  }

  /**
   * Starts a geographic strategy.
   *
   * @return a builder
   */
  static Geo.Builder geo() {
    return new Geo.Builder();
  }

  /**
   * An explicit key-to-shard table kept in a {@link ShardDirectory}.
   *
   * @param name the directory's name, under which the host supplies it when building a router
   * @param fallback the strategy for keys the directory has no entry for, or null to refuse them
   * @return the strategy
   * @throws InvalidTopologyException if the name is invalid
   */
  static Directory directory(String name, @Nullable ShardStrategy fallback) {
    return new Directory(name, fallback);
  }

  /**
   * Every key to one shard.
   *
   * @param shard the shard id
   * @return the strategy
   * @throws InvalidTopologyException if the id is invalid
   */
  static Single single(String shard) {
    return new Single(shard);
  }

  /**
   * Jump consistent hash (Lamping and Veach, 2014): key hash to bucket in {@code [0,
   * buckets.size())}, then bucket to shard. No memory beyond the bucket list, perfectly even, and
   * growing from n to n+1 buckets moves exactly the keys that land in the new bucket (1/(n+1) of
   * them). Buckets can only be added or removed at the end; all shards weigh the same, so the
   * topology refuses a weight other than 1 on a jump shard.
   *
   * @param buckets the shard ids in bucket order; not empty, no duplicates
   */
  record Jump(List<String> buckets) implements ShardStrategy {
    /**
     * Validates the buckets.
     *
     * @throws InvalidTopologyException if the list is empty or names a shard twice
     */
    public Jump {
      buckets = Names.distinctIds(buckets, "jump buckets");
    }

    @Override
    public Set<String> shardIds() {
      return new LinkedHashSet<>(buckets);
    }
  }

  /**
   * Weighted rendezvous hashing (Thaler and Ravishankar, 1996; weights by the logarithmic method of
   * Schindelhauer and Schomaker): every shard scores the key, the highest score wins. A shard's
   * share of keys equals its share of the total weight, and removing a shard moves only the keys it
   * owned. Routing costs one score per shard.
   *
   * @param shards the shard ids, not empty, no duplicates; weights come from the topology
   */
  record Rendezvous(List<String> shards) implements ShardStrategy {
    /**
     * Validates the shards.
     *
     * @throws InvalidTopologyException if the list is empty or names a shard twice
     */
    public Rendezvous {
      shards = Names.distinctIds(shards, "rendezvous shards");
    }

    @Override
    public Set<String> shardIds() {
      return new LinkedHashSet<>(shards);
    }
  }

  /**
   * A consistent-hash ring (Karger et al., 1997): each shard places {@code round(virtualNodes x
   * weight)} points (at least one) on the 64-bit hash circle; a key belongs to the first point at
   * or after its hash. More virtual nodes balance better and cost memory and build time, not
   * routing time (a binary search).
   *
   * @param shards the shard ids, not empty, no duplicates
   * @param virtualNodes points per unit of weight, 1 to 10,000
   */
  record Ring(List<String> shards, int virtualNodes) implements ShardStrategy {
    /** The most virtual nodes per unit of weight. */
    public static final int MAX_VIRTUAL_NODES = 10_000;

    /**
     * Validates the ring.
     *
     * @throws InvalidTopologyException if the list is empty, names a shard twice, or the number of
     *     virtual nodes is out of range
     */
    public Ring {
      shards = Names.distinctIds(shards, "ring shards");
      if (virtualNodes < 1 || virtualNodes > MAX_VIRTUAL_NODES) {
        throw new InvalidTopologyException(
            "ring virtual nodes must be within 1.." + MAX_VIRTUAL_NODES + ", was " + virtualNodes);
      }
    }

    @Override
    public Set<String> shardIds() {
      return new LinkedHashSet<>(shards);
    }
  }

  /**
   * Sorted key ranges: {@code [lower, upper)}, the first open below and the last open above, each
   * owned by one shard, together covering every key exactly once. Kept sorted by lower bound.
   *
   * @param keyType how the boundaries are read and ordered
   * @param ranges the ranges
   */
  record Range(RangeKeyType keyType, List<KeyRange> ranges) implements ShardStrategy {
    /**
     * Validates and sorts the ranges.
     *
     * @throws InvalidTopologyException if ranges overlap, leave a hole, have a closed outer end,
     *     are empty, or a boundary cannot be read; the message names the ranges
     */
    public Range {
      Objects.requireNonNull(keyType, "keyType");
      ranges = Ranges.validate(keyType, ranges);
    }

    @Override
    public Set<String> shardIds() {
      Set<String> ids = new LinkedHashSet<>();
      ranges.forEach(range -> ids.add(range.shard()));
      return ids;
    }
  }

  /**
   * One range of a {@link Range} strategy: keys from {@code lower} (inclusive) to {@code upper}
   * (exclusive); a null bound is open.
   *
   * @param lower the inclusive lower bound, or null for "from the smallest key"
   * @param upper the exclusive upper bound, or null for "to the largest key"
   * @param shard the owning shard's id
   */
  record KeyRange(@Nullable String lower, @Nullable String upper, String shard) {
    /**
     * Validates the shard id.
     *
     * @throws InvalidTopologyException if the shard id is invalid
     */
    public KeyRange {
      Names.id(shard, "range shard");
    }

    /**
     * A range.
     *
     * @param lower the inclusive lower bound, or null when open
     * @param upper the exclusive upper bound, or null when open
     * @param shard the owning shard
     * @return the range
     */
    public static KeyRange of(@Nullable String lower, @Nullable String upper, String shard) {
      return new KeyRange(lower, upper, shard);
    }

    /**
     * A range with long bounds.
     *
     * @param lower the inclusive lower bound, or null when open
     * @param upper the exclusive upper bound, or null when open
     * @param shard the owning shard
     * @return the range
     */
    public static KeyRange of(@Nullable Long lower, @Nullable Long upper, String shard) {
      return new KeyRange(
          lower == null ? null : lower.toString(), upper == null ? null : upper.toString(), shard);
    }

    @Override
    public String toString() {
      return "["
          + (lower == null ? "-inf" : lower)
          + ", "
          + (upper == null ? "+inf" : upper)
          + ") -> "
          + shard;
    }
  }

  /**
   * Geographic routing: a key's location (a country, a region, anything the host's locator returns)
   * selects a strategy; a location without one falls back along a chain ({@code "PT" -> "eu-west"
   * -> "eu"}) to a location that has one; a location nobody declared uses the default location, or
   * is refused when there is none. Nest a hash strategy to spread a region over several shards.
   * Locations match exactly (case matters).
   *
   * @param locations each location that has a strategy, and its strategy; not empty
   * @param fallbacks each location without a strategy, and the location it falls back to
   * @param defaultLocation the location used for undeclared locations, or null to refuse them
   */
  record Geo(
      Map<String, ShardStrategy> locations,
      Map<String, String> fallbacks,
      @Nullable String defaultLocation)
      implements ShardStrategy {
    /**
     * Validates the locations and their fallback chains.
     *
     * @throws InvalidTopologyException if there are no locations, a location both has a strategy
     *     and falls back, a fallback chain loops or ends at a region with no strategy and no
     *     fallback, or the default location does not resolve; the message names the region
     */
    public Geo {
      locations = Locations.validate(locations, fallbacks, defaultLocation);
      fallbacks = Collections.unmodifiableMap(new TreeMap<>(fallbacks));
    }

    /**
     * Resolves a location: its own strategy, else the strategy its fallback chain reaches, else the
     * default location's, else null.
     *
     * @param location the key's location
     * @return the strategy that routes keys in that location, or null if none does
     */
    public @Nullable ShardStrategy strategyFor(String location) {
      String current = location;
      for (int hops = 0; hops <= fallbacks.size(); hops++) {
        ShardStrategy strategy = locations.get(current);
        if (strategy != null) {
          return strategy;
        }
        String next = fallbacks.get(current);
        if (next == null) {
          break;
        }
        current = next;
      }
      return defaultLocation == null ? null : locations.get(resolve(defaultLocation));
    }

    /**
     * Returns every location declared, with a strategy or a fallback.
     *
     * @return the declared locations, sorted
     */
    public Set<String> declaredLocations() {
      Set<String> all = new TreeSet<>(locations.keySet());
      all.addAll(fallbacks.keySet());
      return all;
    }

    private String resolve(String location) {
      String current = location;
      while (!locations.containsKey(current)) {
        current = fallbacks.get(current);
      }
      return current;
    }

    @Override
    public Set<String> shardIds() {
      Set<String> ids = new LinkedHashSet<>();
      locations.values().forEach(strategy -> ids.addAll(strategy.shardIds()));
      return ids;
    }

    /** Builds a {@link Geo} strategy. Not thread-safe; the result is immutable. */
    public static final class Builder {
      private final Map<String, ShardStrategy> locations = new TreeMap<>();
      private final Map<String, String> fallbacks = new TreeMap<>();
      private @Nullable String defaultLocation;

      Builder() {}

      /**
       * Routes keys in a location with a strategy.
       *
       * @param location the location
       * @param strategy its strategy, for example {@code single("eu-1")} or {@code jump(...)}
       * @return this builder
       * @throws InvalidTopologyException if the location is blank or already declared
       */
      public Builder location(String location, ShardStrategy strategy) {
        Names.location(location, "location");
        declareOnce(location);
        locations.put(location, Objects.requireNonNull(strategy, "strategy"));
        return this;
      }

      /**
       * Routes keys in a location as those of another location.
       *
       * @param location the location without a strategy of its own
       * @param to the location it falls back to
       * @return this builder
       * @throws InvalidTopologyException if either location is blank or the first is declared
       */
      public Builder fallback(String location, String to) {
        Names.location(location, "location");
        Names.location(to, "fallback of '" + location + "'");
        declareOnce(location);
        fallbacks.put(location, to);
        return this;
      }

      /**
       * Routes keys in undeclared locations as those of a declared location.
       *
       * @param location the default location
       * @return this builder
       */
      public Builder defaultLocation(String location) {
        this.defaultLocation = Names.location(location, "default location");
        return this;
      }

      /**
       * Builds the strategy.
       *
       * @return the validated strategy
       * @throws InvalidTopologyException as {@link Geo#Geo} does
       */
      public Geo build() {
        return new Geo(locations, fallbacks, defaultLocation);
      }

      private void declareOnce(String location) {
        if (locations.containsKey(location) || fallbacks.containsKey(location)) {
          throw new InvalidTopologyException("location '" + location + "' is declared twice");
        }
      }
    }
  }

  /**
   * An explicit table from key to shard, kept in the {@link ShardDirectory} that the host supplies
   * under this name; keys without an entry go to the fallback strategy, or are refused.
   *
   * @param name the directory's name
   * @param fallback the strategy for keys without an entry, or null to refuse them
   */
  record Directory(String name, @Nullable ShardStrategy fallback) implements ShardStrategy {
    /**
     * Validates the name.
     *
     * @throws InvalidTopologyException if the name is invalid
     */
    public Directory {
      Names.id(name, "directory name");
    }

    /**
     * {@inheritDoc} Entries of the directory itself are not known to the topology: a router checks
     * each shard id the directory returns against its topology.
     */
    @Override
    public Set<String> shardIds() {
      return fallback == null ? Set.of() : fallback.shardIds();
    }
  }

  /**
   * Every key to one shard; the leaf of a geo strategy whose location has a single shard.
   *
   * @param shard the shard's id
   */
  record Single(String shard) implements ShardStrategy {
    /**
     * Validates the id.
     *
     * @throws InvalidTopologyException if the id is invalid
     */
    public Single {
      Names.id(shard, "shard id");
    }

    @Override
    public Set<String> shardIds() {
      return Set.of(shard);
    }
  }
}
