package dev.lintel.jdbc.shard;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * How a key is stored in a table column, for the parts of sharding that read keys back from rows
 * (the rebalancer) or remember them as text (the change table of a move): a string column or a
 * {@code BIGINT} column. The text form must parse back to an equal key. Implementations are
 * stateless and thread-safe.
 *
 * @param <K> the key type
 */
public interface ShardKeyColumn<K> {

  /**
   * Reads the key from a column of the current row.
   *
   * @param row the row
   * @param column the column, from 1
   * @return the key
   * @throws SQLException if the column cannot be read
   */
  K read(ResultSet row, int column) throws SQLException;

  /**
   * Binds the key to a parameter.
   *
   * @param statement the statement
   * @param index the parameter, from 1
   * @param key the key
   * @throws SQLException if the parameter cannot be set
   */
  void bind(PreparedStatement statement, int index, K key) throws SQLException;

  /**
   * Returns the key's text form.
   *
   * @param key the key
   * @return text that {@link #parse} turns back into an equal key
   */
  String text(K key);

  /**
   * Parses the text form.
   *
   * @param text what {@link #text} returned
   * @return the key
   * @throws IllegalArgumentException if the text is not a key of this kind
   */
  K parse(String text);

  /**
   * Returns the column type that tables created by Lintel use for these keys.
   *
   * @return an SQL type that PostgreSQL, MariaDB and H2 accept; {@code VARCHAR(512)} by default
   */
  default String sqlType() {
    return "VARCHAR(512)";
  }

  /**
   * Keys in a character column ({@code VARCHAR}).
   *
   * @return the column kind
   */
  static ShardKeyColumn<String> strings() {
    return new ShardKeyColumn<>() {
      @Override
      public String read(ResultSet row, int column) throws SQLException {
        return row.getString(column);
      }

      @Override
      public void bind(PreparedStatement statement, int index, String key) throws SQLException {
        statement.setString(index, key);
      }

      @Override
      public String text(String key) {
        return key;
      }

      @Override
      public String parse(String text) {
        return text;
      }

      @Override
      public String toString() {
        return "ShardKeyColumn.strings()";
      }
    };
  }

  /**
   * Keys in a {@code BIGINT} column.
   *
   * @return the column kind
   */
  static ShardKeyColumn<Long> longs() {
    return new ShardKeyColumn<>() {
      @Override
      public Long read(ResultSet row, int column) throws SQLException {
        return row.getLong(column);
      }

      @Override
      public void bind(PreparedStatement statement, int index, Long key) throws SQLException {
        statement.setObject(index, key, Types.BIGINT);
      }

      @Override
      public String text(Long key) {
        return Long.toString(key);
      }

      @Override
      public Long parse(String text) {
        try {
          return Long.parseLong(text);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("'" + text + "' is not a long key", e);
        }
      }

      @Override
      public String sqlType() {
        return "BIGINT";
      }

      @Override
      public String toString() {
        return "ShardKeyColumn.longs()";
      }
    };
  }
}
