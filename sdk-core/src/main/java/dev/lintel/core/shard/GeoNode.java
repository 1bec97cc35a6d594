package dev.lintel.core.shard;

import dev.lintel.shard.ShardingException;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Geographic routing: the key's location to the node of its location, whose fallback chain was
 * resolved when the router was built; undeclared locations go to the default, if any.
 */
final class GeoNode<K> implements RouteNode<K> {
  private final Function<? super K, @Nullable String> locator;
  private final Map<String, RouteNode<K>> byLocation;
  private final @Nullable RouteNode<K> defaultNode;
  private final long version;

  GeoNode(
      Function<? super K, @Nullable String> locator,
      Map<String, RouteNode<K>> byLocation,
      @Nullable RouteNode<K> defaultNode,
      long version) {
    this.locator = locator;
    this.byLocation = Map.copyOf(byLocation);
    this.defaultNode = defaultNode;
    this.version = version;
  }

  @Override
  public String route(K key) {
    String location = locator.apply(key);
    if (location == null) {
      throw new ShardingException(
          "the locator returned no location for a key (topology v" + version + ")");
    }
    RouteNode<K> node = byLocation.get(location);
    if (node == null) {
      node = defaultNode;
      if (node == null) {
        throw new ShardingException(
            "location '"
                + location
                + "' is not declared in topology v"
                + version
                + " and its geo strategy has no default location");
      }
    }
    return node.route(key);
  }
}
