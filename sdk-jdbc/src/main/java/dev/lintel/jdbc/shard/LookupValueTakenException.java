package dev.lintel.jdbc.shard;

import dev.lintel.shard.ShardingException;
import java.io.Serial;

/**
 * Thrown by {@link ShardLookup#put} of a {@linkplain ShardLookup.Builder#unique() unique} lookup
 * when the value belongs to another key that its shard confirms. The put has been undone in the
 * caller's transaction (rolled back to a savepoint taken when it began), so that transaction can
 * roll back, or go on without the value.
 */
public final class LookupValueTakenException extends ShardingException {
  @Serial private static final long serialVersionUID = 1L;

  private final String lookup;
  private final String value;
  private final String owner;

  LookupValueTakenException(String lookup, String value, String owner) {
    super(
        "value '"
            + value
            + "' of unique lookup '"
            + lookup
            + "' is taken by key '"
            + owner
            + "' (confirmed on its shard)");
    this.lookup = lookup;
    this.value = value;
    this.owner = owner;
  }

  /**
   * Names the lookup.
   *
   * @return the lookup's name
   */
  public String lookup() {
    return lookup;
  }

  /**
   * Gives the value that was refused.
   *
   * @return the value
   */
  public String value() {
    return value;
  }

  /**
   * Gives the key that owns the value, as stored in the global table.
   *
   * @return the owner's shard key, as text
   */
  public String owner() {
    return owner;
  }
}
