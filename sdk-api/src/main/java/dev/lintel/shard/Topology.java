package dev.lintel.shard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An immutable, versioned description of a sharded keyspace: a version number that only grows, the
 * shards (id, weight, connection name) and the {@link ShardStrategy} that maps keys to them. A
 * router is built from a topology; a new layout is a new topology with a higher version, and a
 * {@link MovePlan} lists what moves between the two.
 *
 * <p>A topology is valid by construction. Thread-safe; {@link #equals} compares version, shards and
 * strategy.
 */
public final class Topology {
  private final long version;
  private final List<Shard> shards;
  private final ShardStrategy strategy;
  private final Map<String, Shard> byId;

  private Topology(long version, List<Shard> shards, ShardStrategy strategy) {
    if (version < 1) {
      throw new InvalidTopologyException("topology version must be at least 1, was " + version);
    }
    Objects.requireNonNull(strategy, "strategy");
    if (shards == null || shards.isEmpty()) {
      throw new InvalidTopologyException(
          "topology v" + version + " has no shards: a topology needs at least one");
    }
    Map<String, Shard> ids = new LinkedHashMap<>();
    for (Shard shard : shards) {
      Objects.requireNonNull(shard, "shard");
      if (ids.put(shard.id(), shard) != null) {
        throw new InvalidTopologyException(
            "topology v" + version + " has a duplicate shard id '" + shard.id() + "'");
      }
    }
    for (String id : strategy.shardIds()) {
      if (!ids.containsKey(id)) {
        throw new InvalidTopologyException(
            "topology v"
                + version
                + ": the strategy routes to shard '"
                + id
                + "', which is not among its shards "
                + ids.keySet());
      }
    }
    checkJumpWeights(version, strategy, ids);
    this.version = version;
    this.shards = List.copyOf(shards);
    this.strategy = strategy;
    this.byId = Collections.unmodifiableMap(ids);
  }

  /**
   * Creates a topology.
   *
   * @param version the version, at least 1
   * @param shards the shards, at least one, ids unique
   * @param strategy how keys map to the shards; it may name only these shards
   * @return the topology
   * @throws InvalidTopologyException if the version is below 1, there are no shards, an id is
   *     duplicated, the strategy names an unknown shard, or a jump shard has a weight other than 1
   */
  public static Topology of(long version, List<Shard> shards, ShardStrategy strategy) {
    return new Topology(version, shards, strategy);
  }

  /**
   * Creates the next version of this topology.
   *
   * @param shards the new shards
   * @param strategy the new strategy
   * @return a topology whose version is this one's plus one
   * @throws InvalidTopologyException as {@link #of} does
   */
  public Topology next(List<Shard> shards, ShardStrategy strategy) {
    return new Topology(version + 1, shards, strategy);
  }

  /**
   * Returns the version.
   *
   * @return the version, at least 1
   */
  public long version() {
    return version;
  }

  /**
   * Returns the shards.
   *
   * @return the shards, in the order given
   */
  public List<Shard> shards() {
    return shards;
  }

  /**
   * Returns the strategy.
   *
   * @return how keys map to shards
   */
  public ShardStrategy strategy() {
    return strategy;
  }

  /**
   * Returns a shard by id.
   *
   * @param id the shard's id
   * @return the shard
   * @throws ShardingException if the topology has no such shard
   */
  public Shard shard(String id) {
    Shard shard = byId.get(id);
    if (shard == null) {
      throw new ShardingException(
          "topology v" + version + " has no shard '" + id + "'; its shards are " + byId.keySet());
    }
    return shard;
  }

  /**
   * Tells whether the topology has a shard.
   *
   * @param id the shard's id
   * @return true if one of its shards has this id
   */
  public boolean hasShard(String id) {
    return byId.containsKey(id);
  }

  private static void checkJumpWeights(
      long version, ShardStrategy strategy, Map<String, Shard> shards) {
    List<ShardStrategy> pending = new ArrayList<>(List.of(strategy));
    while (!pending.isEmpty()) {
      ShardStrategy next = pending.remove(pending.size() - 1);
      if (next instanceof ShardStrategy.Jump jump) {
        for (String id : jump.buckets()) {
          double weight = shards.get(id).weight();
          if (weight != 1) {
            throw new InvalidTopologyException(
                "topology v"
                    + version
                    + ": shard '"
                    + id
                    + "' has weight "
                    + weight
                    + ", but jump hash cannot weight shards; use rendezvous or ring");
          }
        }
      } else if (next instanceof ShardStrategy.Geo geo) {
        pending.addAll(geo.locations().values());
      } else if (next instanceof ShardStrategy.Directory directory) {
        ShardStrategy fallback = directory.fallback();
        if (fallback != null) {
          pending.add(fallback);
        }
      }
    }
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Topology that
        && version == that.version
        && shards.equals(that.shards)
        && strategy.equals(that.strategy);
  }

  @Override
  public int hashCode() {
    return Objects.hash(version, shards, strategy);
  }

  @Override
  public String toString() {
    return "Topology[v" + version + ", shards=" + byId.keySet() + ", strategy=" + strategy + "]";
  }
}
