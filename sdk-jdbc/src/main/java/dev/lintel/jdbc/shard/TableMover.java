package dev.lintel.jdbc.shard;

import dev.lintel.core.shard.Xxh64;
import dev.lintel.shard.ShardingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Reads, writes and deletes the rows of one {@link ShardedTable} on shard databases: keyset pages,
 * upserts, the copy of given keys' rows (inserting, replacing and deleting on the target so that it
 * ends equal to the source) and row checksums. Columns are read from the source's metadata once and
 * values move as {@code getObject}/{@code setObject}. Not thread-safe (one per rebalancer run).
 *
 * @param <K> the shard key type
 */
final class TableMover<K> {
  private static final int KEYS_PER_QUERY = 100;

  private final ShardedTable table;
  private final ShardKeyColumn<K> keys;
  private @Nullable List<String> columns;
  private int primaryKeyIndex;
  private int shardKeyIndex;

  TableMover(ShardedTable table, ShardKeyColumn<K> keys) {
    this.table = table;
    this.keys = keys;
  }

  /** A row: its primary key (as read and as text), shard key and every column's value. */
  record Row<K>(Object primaryKey, String primaryKeyText, K shardKey, Object[] values) {}

  String name() {
    return table.table();
  }

  /** Checks that the table exists on a shard and learns its columns. */
  void check(DataSource dataSource, String shardId) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement("SELECT * FROM " + table.table() + " WHERE 1 = 0");
        ResultSet rows = select.executeQuery()) {
      ResultSetMetaData meta = rows.getMetaData();
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        names.add(ShardSql.identifier(meta.getColumnName(i), "column of table " + table.table()));
      }
      int pk = indexOf(names, table.primaryKey());
      int sk = indexOf(names, table.shardKeyColumn());
      if (pk < 0 || sk < 0) {
        throw new ShardingException(
            "table "
                + table.table()
                + " on shard '"
                + shardId
                + "' has columns "
                + names
                + ", without "
                + (pk < 0 ? table.primaryKey() : table.shardKeyColumn()));
      }
      if (columns == null) {
        columns = List.copyOf(names);
        primaryKeyIndex = pk;
        shardKeyIndex = sk;
      } else if (!sameColumns(columns, names)) {
        throw new ShardingException(
            "table "
                + table.table()
                + " on shard '"
                + shardId
                + "' has columns "
                + names
                + ", other shards "
                + columns);
      }
    } catch (SQLException e) {
      throw new ShardingException(
          "table "
              + table.table()
              + " cannot be read on shard '"
              + shardId
              + "': "
              + e.getMessage(),
          e);
    }
  }

  /** Counts the rows, to estimate the work of a scan. */
  long count(DataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement("SELECT COUNT(*) FROM " + table.table());
        ResultSet row = select.executeQuery()) {
      row.next();
      return row.getLong(1);
    }
  }

  /** Reads the next page after the cursor (the primary key's text), in primary key order. */
  List<Row<K>> page(DataSource dataSource, @Nullable String cursor, int limit) throws SQLException {
    String sql =
        select(cursor == null ? "" : " WHERE " + table.primaryKey() + " > ?")
            + " ORDER BY "
            + table.primaryKey()
            + " LIMIT "
            + limit;
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(sql)) {
      if (cursor != null) {
        bindText(table.primaryKeyType(), select, 1, cursor);
      }
      return rows(select);
    }
  }

  /** Inserts or replaces rows in one transaction. */
  void upsert(DataSource dataSource, List<Row<K>> rows) throws SQLException {
    inTransaction(dataSource, rows, this::upsert);
  }

  /**
   * Makes the target's rows of these shard keys equal the source's: rows the source has are
   * inserted or replaced, rows only the target has are deleted. One transaction on the target.
   *
   * @return the rows written or deleted on the target
   */
  int copyKeys(DataSource source, DataSource target, List<K> shardKeys) throws SQLException {
    int changed = 0;
    for (int from = 0; from < shardKeys.size(); from += KEYS_PER_QUERY) {
      List<K> chunk = shardKeys.subList(from, Math.min(shardKeys.size(), from + KEYS_PER_QUERY));
      List<Row<K>> wanted = byShardKeys(source, chunk);
      List<Row<K>> present = byShardKeys(target, chunk);
      Set<String> keep = new HashSet<>();
      wanted.forEach(row -> keep.add(row.primaryKeyText()));
      List<Row<K>> gone =
          present.stream().filter(row -> !keep.contains(row.primaryKeyText())).toList();
      Tx.run(
          target,
          connection -> {
            upsert(connection, wanted);
            delete(connection, gone);
            return null;
          });
      changed += wanted.size() + gone.size();
    }
    return changed;
  }

  /** Deletes rows by primary key in one transaction. */
  void delete(DataSource dataSource, List<Row<K>> rows) throws SQLException {
    inTransaction(dataSource, rows, this::delete);
  }

  /** What is done to a list of rows on a connection. */
  @FunctionalInterface
  private interface RowsWork<K> {
    void run(Connection connection, List<Row<K>> rows) throws SQLException;
  }

  private void inTransaction(DataSource dataSource, List<Row<K>> rows, RowsWork<K> work)
      throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    Tx.run(
        dataSource,
        connection -> {
          work.run(connection, rows);
          return null;
        });
  }

  /** A checksum of a row's values that does not depend on the database: XXH64 of their text. */
  static long checksum(Row<?> row) {
    StringBuilder text = new StringBuilder();
    for (Object value : row.values()) {
      if (value == null) {
        text.append("\u0000N");
      } else if (value instanceof byte[] bytes) {
        text.append(Arrays.toString(bytes));
      } else {
        text.append(value);
      }
      text.append('\u0001');
    }
    return Xxh64.hashUtf8(text.toString());
  }

  private List<Row<K>> byShardKeys(DataSource dataSource, List<K> shardKeys) throws SQLException {
    String sql =
        select(
            " WHERE "
                + table.shardKeyColumn()
                + " IN ("
                + ShardSql.placeholders(shardKeys.size())
                + ")");
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(sql)) {
      for (int i = 0; i < shardKeys.size(); i++) {
        keys.bind(select, i + 1, shardKeys.get(i));
      }
      return rows(select);
    }
  }

  /** {@code SELECT} every column {@code FROM} the table, then the condition. */
  private String select(String condition) {
    return "SELECT " + String.join(", ", columns()) + " FROM " + table.table() + condition;
  }

  private List<Row<K>> rows(PreparedStatement select) throws SQLException {
    List<Row<K>> rows = new ArrayList<>();
    int width = columns().size();
    try (ResultSet result = select.executeQuery()) {
      while (result.next()) {
        Object[] values = new Object[width];
        for (int i = 0; i < width; i++) {
          values[i] = result.getObject(i + 1);
        }
        rows.add(
            new Row<>(
                values[primaryKeyIndex],
                text(table.primaryKeyType(), result, primaryKeyIndex + 1),
                keys.read(result, shardKeyIndex + 1),
                values));
      }
    }
    return rows;
  }

  private void upsert(Connection connection, List<Row<K>> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    String sql =
        ShardSql.of(connection).upsert(table.table(), List.of(table.primaryKey()), columns());
    try (PreparedStatement upsert = connection.prepareStatement(sql)) {
      for (Row<K> row : rows) {
        for (int i = 0; i < row.values().length; i++) {
          upsert.setObject(i + 1, row.values()[i]);
        }
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
  }

  private void delete(Connection connection, List<Row<K>> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement delete =
        connection.prepareStatement(
            "DELETE FROM " + table.table() + " WHERE " + table.primaryKey() + " = ?")) {
      for (Row<K> row : rows) {
        delete.setObject(1, row.primaryKey());
        delete.addBatch();
      }
      delete.executeBatch();
    }
  }

  private List<String> columns() {
    List<String> known = columns;
    if (known == null) {
      throw new IllegalStateException("check() the table " + table.table() + " first");
    }
    return known;
  }

  private static <P> String text(ShardKeyColumn<P> type, ResultSet row, int column)
      throws SQLException {
    return type.text(type.read(row, column));
  }

  private static <P> void bindText(
      ShardKeyColumn<P> type, PreparedStatement statement, int index, String text)
      throws SQLException {
    type.bind(statement, index, type.parse(text));
  }

  private static int indexOf(List<String> names, String column) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(column)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean sameColumns(List<String> a, List<String> b) {
    List<String> left =
        new ArrayList<>(a.stream().map(s -> s.toLowerCase(java.util.Locale.ROOT)).toList());
    List<String> right =
        new ArrayList<>(b.stream().map(s -> s.toLowerCase(java.util.Locale.ROOT)).toList());
    Collections.sort(left);
    Collections.sort(right);
    return left.equals(right);
  }
}
