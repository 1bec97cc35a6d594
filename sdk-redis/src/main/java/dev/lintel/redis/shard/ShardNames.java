package dev.lintel.redis.shard;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The check of keyspace and directory names, as sharding validates shard ids. */
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
}
