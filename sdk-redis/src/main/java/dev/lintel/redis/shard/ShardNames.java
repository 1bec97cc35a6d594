package dev.lintel.redis.shard;

import io.lettuce.core.cluster.SlotHash;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The check of keyspace and directory names, as sharding validates shard ids, and the key layout of
 * the Redis shard components.
 */
final class ShardNames {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  private ShardNames() {}

  /**
   * Checks a keyspace or directory name: 1 to 128 letters, digits, {@code . _ : -}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static String check(@Nullable String name, String what) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what + " '" + name + "' is invalid: use 1 to 128 letters, digits, '.', '_', ':' or '-'");
    }
    return name;
  }

  /*
   * A component's hash and its channel must hash to one cluster slot: the Lua script that changes
   * the hash also publishes on the channel (SPUBLISH on a cluster, where a shard channel is a key
   * of its slot), and a script may only touch keys of one slot. So the hash's whole name is a hash
   * tag, {<prefix>shard:<kind>:<name>}, and the channel is that name plus a suffix: Redis hashes
   * only what is between the first '{' and the first '}' after it, which both names share. The same
   * layout is used on a standalone Redis, so data moves to a cluster unchanged.
   */

  /**
   * Names the hash of a component: {@code {<prefix>shard:<kind>:<name>}}.
   *
   * @throws IllegalArgumentException if the prefix keeps the hash and its channel out of one slot
   */
  static String hash(String prefix, String kind, String name, String channelSuffix) {
    Objects.requireNonNull(prefix, "prefix");
    String hash = "{" + prefix + "shard:" + kind + ":" + name + "}";
    if (SlotHash.getSlot(hash) != SlotHash.getSlot(hash + channelSuffix)) {
      throw new IllegalArgumentException(
          "prefix '"
              + prefix
              + "' puts "
              + hash
              + " and its channel into different cluster slots: it must not start with '}'");
    }
    return hash;
  }
}
