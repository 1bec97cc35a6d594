package dev.lintel.shard;

/**
 * Maps a key to the id of the shard that owns it, following one {@link Topology}.
 *
 * <p>Guarantees: a router is immutable and thread-safe; the same key and topology give the same
 * shard in every process and every release of the same major version (the hash and the algorithms
 * are part of the stored layout). Routing with hash, range and geo strategies allocates nothing; a
 * directory lookup costs what its {@link ShardDirectory} costs.
 *
 * @param <K> the key type
 */
public interface ShardRouter<K> {

  /**
   * Returns the id of the shard that owns the key.
   *
   * @param key the key
   * @return the shard id, one of the topology's shards
   * @throws IllegalArgumentException if the key is null
   * @throws ShardingException if no shard owns the key: its location is unknown and the geo
   *     strategy has no default, or it has no directory entry and the directory no fallback, or the
   *     directory names a shard the topology does not have
   */
  String route(K key);

  /**
   * Returns the shard that owns the key, with its connection name and weight.
   *
   * @param key the key
   * @return the shard
   * @throws IllegalArgumentException if the key is null
   * @throws ShardingException as {@link #route} does
   */
  default Shard shard(K key) {
    return topology().shard(route(key));
  }

  /**
   * Returns the topology this router follows.
   *
   * @return the topology
   */
  Topology topology();
}
