package dev.lintel.jdbc.pipeline;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Sets the parameters of a prepared statement from one item. Called for each item of a batch, on
 * the sink's thread.
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface RowBinder<T> {

  /**
   * Binds an item's values to the statement's parameters.
   *
   * @param statement the statement, parameters from 1
   * @param item the item
   * @throws SQLException when a value cannot be set
   */
  void bind(PreparedStatement statement, T item) throws SQLException;
}
