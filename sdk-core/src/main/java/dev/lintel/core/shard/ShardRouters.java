package dev.lintel.core.shard;

import dev.lintel.shard.InvalidTopologyException;
import dev.lintel.shard.RangeKeyType;
import dev.lintel.shard.ShardDirectory;
import dev.lintel.shard.ShardRouter;
import dev.lintel.shard.ShardStrategy;
import dev.lintel.shard.Topology;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Builds {@link ShardRouter}s from topologies.
 *
 * <pre>{@code
 * ShardRouter<String> router = ShardRouters.create(topology, ShardKeyCodec.strings());
 * String shard = router.route("customer-42");
 * }</pre>
 *
 * A topology with a geo strategy needs a locator (key to location) and one with a directory
 * strategy needs the directory, given through {@link #builder}. The routers are immutable and
 * thread-safe; routing by hash, range or location allocates nothing.
 */
public final class ShardRouters {
  private ShardRouters() {}

  /**
   * Builds a router for a topology without geo or directory strategies.
   *
   * @param topology the topology
   * @param codec the key codec
   * @param <K> the key type
   * @return the router
   * @throws InvalidTopologyException if the topology needs a locator or a directory, or has ranges
   *     the codec cannot read
   */
  public static <K> ShardRouter<K> create(Topology topology, ShardKeyCodec<K> codec) {
    return builder(topology, codec).build();
  }

  /**
   * Starts a router for a topology that may need a locator or directories.
   *
   * @param topology the topology
   * @param codec the key codec
   * @param <K> the key type
   * @return a builder
   */
  public static <K> Builder<K> builder(Topology topology, ShardKeyCodec<K> codec) {
    return new Builder<>(topology, codec);
  }

  /**
   * Collects what a topology's geo and directory strategies need. Not thread-safe; the router it
   * builds is.
   *
   * @param <K> the key type
   */
  public static final class Builder<K> {
    private final Topology topology;
    private final ShardKeyCodec<K> codec;
    private final Map<String, ShardDirectory> directories = new HashMap<>();
    private @Nullable Function<? super K, @Nullable String> locator;
    private Function<? super K, String> directoryKey = String::valueOf;

    private Builder(Topology topology, ShardKeyCodec<K> codec) {
      this.topology = Objects.requireNonNull(topology, "topology");
      this.codec = Objects.requireNonNull(codec, "codec");
    }

    /**
     * Sets how a key's location is found, for geo strategies. It must be fast and allocation-free
     * for routing to be (a field read, typically).
     *
     * @param locator key to location (a country or region code); null means the key has none
     * @return this builder
     */
    public Builder<K> locator(Function<? super K, @Nullable String> locator) {
      this.locator = Objects.requireNonNull(locator, "locator");
      return this;
    }

    /**
     * Supplies the directory a directory strategy names.
     *
     * @param name the name in the topology
     * @param directory the directory
     * @return this builder
     * @throws IllegalStateException if a directory with that name was already given
     */
    public Builder<K> directory(String name, ShardDirectory directory) {
      Objects.requireNonNull(directory, "directory");
      if (directories.putIfAbsent(Objects.requireNonNull(name, "name"), directory) != null) {
        throw new IllegalStateException("directory '" + name + "' was already given");
      }
      return this;
    }

    /**
     * Sets how a key becomes a directory key; {@link String#valueOf(Object)} by default, which is
     * the key itself for strings and allocates for other types.
     *
     * @param directoryKey key to the directory's string form, stable across releases
     * @return this builder
     */
    public Builder<K> directoryKeys(Function<? super K, String> directoryKey) {
      this.directoryKey = Objects.requireNonNull(directoryKey, "directoryKey");
      return this;
    }

    /**
     * Builds the router.
     *
     * @return the router, immutable and thread-safe
     * @throws InvalidTopologyException if a geo strategy has no locator, a directory strategy names
     *     a directory that was not given, or a range strategy's key type is one the codec cannot
     *     read
     * @throws dev.lintel.shard.ShardingException if a ring would have too many points
     */
    public ShardRouter<K> build() {
      return new TopologyRouter<>(topology, node(topology.strategy(), new IdentityHashMap<>()));
    }

    private RouteNode<K> node(ShardStrategy strategy, Map<ShardStrategy, RouteNode<K>> built) {
      RouteNode<K> existing = built.get(strategy);
      if (existing != null) {
        return existing; // several locations falling back to one strategy share its node
      }
      RouteNode<K> node;
      if (strategy instanceof ShardStrategy.Single single) {
        node = new SingleNode<>(single.shard());
      } else if (strategy instanceof ShardStrategy.Jump jump) {
        node = new JumpNode<>(codec, jump.buckets());
      } else if (strategy instanceof ShardStrategy.Rendezvous rendezvous) {
        node = new RendezvousNode<>(codec, rendezvous.shards(), topology);
      } else if (strategy instanceof ShardStrategy.Ring ring) {
        node = new RingNode<>(codec, RingLayout.of(ring, topology));
      } else if (strategy instanceof ShardStrategy.Range range) {
        node = rangeNode(range);
      } else if (strategy instanceof ShardStrategy.Geo geo) {
        node = geoNode(geo, built);
      } else {
        node = directoryNode((ShardStrategy.Directory) strategy, built);
      }
      built.put(strategy, node);
      return node;
    }

    private RouteNode<K> rangeNode(ShardStrategy.Range range) {
      if (!codec.supports(range.keyType())) {
        throw new InvalidTopologyException(
            "topology v"
                + topology.version()
                + " has "
                + range.keyType().name().toLowerCase(Locale.ROOT)
                + " ranges, but "
                + codec
                + " does not read keys as "
                + (range.keyType() == RangeKeyType.LONG ? "longs" : "strings"));
      }
      return range.keyType() == RangeKeyType.LONG
          ? new LongRangeNode<>(codec, range)
          : new StringRangeNode<>(codec, range);
    }

    private RouteNode<K> geoNode(ShardStrategy.Geo geo, Map<ShardStrategy, RouteNode<K>> built) {
      Function<? super K, @Nullable String> locate = locator;
      if (locate == null) {
        throw new InvalidTopologyException(
            "topology v"
                + topology.version()
                + " routes by location (geo), but the router has no locator: call"
                + " locator(key -> location)");
      }
      Map<String, RouteNode<K>> byLocation = new HashMap<>();
      for (String location : geo.declaredLocations()) {
        byLocation.put(location, node(Objects.requireNonNull(geo.strategyFor(location)), built));
      }
      String fallback = geo.defaultLocation();
      RouteNode<K> defaultNode = fallback == null ? null : byLocation.get(fallback);
      return new GeoNode<>(locate, byLocation, defaultNode, topology.version());
    }

    private RouteNode<K> directoryNode(
        ShardStrategy.Directory strategy, Map<ShardStrategy, RouteNode<K>> built) {
      ShardDirectory directory = directories.get(strategy.name());
      if (directory == null) {
        throw new InvalidTopologyException(
            "topology v"
                + topology.version()
                + " routes through directory '"
                + strategy.name()
                + "', which the router was not given: call directory(\""
                + strategy.name()
                + "\", ...)");
      }
      ShardStrategy fallback = strategy.fallback();
      return new DirectoryNode<>(
          strategy.name(),
          directory,
          directoryKey,
          fallback == null ? null : node(fallback, built),
          topology);
    }
  }
}
