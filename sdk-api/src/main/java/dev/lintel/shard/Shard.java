package dev.lintel.shard;

/**
 * One shard of a {@link Topology}: its id, its weight for the weighted strategies (rendezvous and
 * ring) and the name of the connection (a data source, a Redis client) that reaches it. Immutable.
 *
 * @param id the shard's id: 1 to 128 letters, digits, {@code . _ : -}; unique in a topology
 * @param weight the shard's relative capacity, positive and finite; 1 unless the shard is weighted
 * @param connection the name under which the host registers the shard's connection; not blank
 */
public record Shard(String id, double weight, String connection) {

  /**
   * Validates the shard.
   *
   * @throws InvalidTopologyException if the id is invalid, the weight is not positive and finite,
   *     or the connection name is blank; the message names the shard
   */
  public Shard {
    Names.id(id, "shard id");
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new InvalidTopologyException(
          "shard '" + id + "' has weight " + weight + "; a weight must be positive and finite");
    }
    if (connection == null || connection.isBlank()) {
      throw new InvalidTopologyException("shard '" + id + "' has no connection name");
    }
  }

  /**
   * A shard of weight 1 whose connection has the shard's id as its name.
   *
   * @param id the shard's id
   * @return the shard
   * @throws InvalidTopologyException if the id is invalid
   */
  public static Shard of(String id) {
    return new Shard(id, 1, id);
  }

  /**
   * A shard of weight 1 reached through the named connection.
   *
   * @param id the shard's id
   * @param connection the connection's name
   * @return the shard
   * @throws InvalidTopologyException if the id or the connection name is invalid
   */
  public static Shard of(String id, String connection) {
    return new Shard(id, 1, connection);
  }

  /**
   * The same shard with another weight.
   *
   * @param weight the new weight, positive and finite
   * @return the weighted shard
   * @throws InvalidTopologyException if the weight is not positive and finite
   */
  public Shard withWeight(double weight) {
    return new Shard(id, weight, connection);
  }
}
