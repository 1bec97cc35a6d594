package dev.lintel.jdbc.shard;

import java.util.Objects;

/**
 * A table whose rows live on the shard of their shard key, as the rebalancer moves it: the table
 * exists with the same columns on every shard, each row has a single-column primary key (the keyset
 * the copy pages through) and a column holding its shard key (the primary key itself, or, for a
 * child or lookup table, the owner's key). The shard-key column should be indexed when it is not
 * the primary key: each key written during a move is looked up by it. Immutable.
 *
 * @param table the table name: letters, digits, underscores, optionally after {@code schema.}
 * @param primaryKey the primary key column
 * @param primaryKeyType how the primary key is stored
 * @param shardKeyColumn the column holding the shard key
 */
public record ShardedTable(
    String table, String primaryKey, ShardKeyColumn<?> primaryKeyType, String shardKeyColumn) {

  /**
   * Checks the names.
   *
   * @throws IllegalArgumentException if a name is not a plain identifier
   */
  public ShardedTable {
    ShardSql.identifier(table, "table name");
    ShardSql.identifier(primaryKey, "primary key column of table " + table);
    Objects.requireNonNull(primaryKeyType, "primaryKeyType");
    ShardSql.identifier(shardKeyColumn, "shard key column of table " + table);
  }

  /**
   * A table whose primary key is its shard key.
   *
   * @param table the table
   * @param keyColumn the primary key, which is the shard key
   * @param keyType how the key is stored
   * @return the table
   * @throws IllegalArgumentException if a name is not a plain identifier
   */
  public static ShardedTable of(String table, String keyColumn, ShardKeyColumn<?> keyType) {
    return new ShardedTable(table, keyColumn, keyType, keyColumn);
  }

  /**
   * A table whose rows belong to the shard key in another column, such as a lookup table ({@code
   * email -> account_id}) kept on the account's shard.
   *
   * @param table the table
   * @param primaryKey its primary key
   * @param primaryKeyType how the primary key is stored
   * @param shardKeyColumn the column holding the owner's shard key
   * @return the table
   * @throws IllegalArgumentException if a name is not a plain identifier
   */
  public static ShardedTable of(
      String table, String primaryKey, ShardKeyColumn<?> primaryKeyType, String shardKeyColumn) {
    return new ShardedTable(table, primaryKey, primaryKeyType, shardKeyColumn);
  }
}
