package dev.lintel.jdbc.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lintel.LintelException;
import dev.lintel.pipeline.DeadLetter;
import dev.lintel.pipeline.Sink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A dead-letter sink that inserts each {@link DeadLetter} as a row of a table the host created:
 *
 * <pre>{@code
 * CREATE TABLE pipeline_dead_letters (
 *   pipeline VARCHAR(200) NOT NULL, stage VARCHAR(200) NOT NULL, item_key VARCHAR(2000) NOT NULL,
 *   attempts INT NOT NULL, failed_at TIMESTAMP NOT NULL, error VARCHAR(4000) NOT NULL,
 *   item VARCHAR(10000) NOT NULL)
 * }</pre>
 *
 * <p>{@code error} is the exception's {@code toString()}, {@code item} the item as JSON (its {@code
 * toString()} when Jackson cannot write it); both are cut to their column's size above. One insert,
 * auto-committed, per letter; an insert that fails throws, which fails the pipeline, so no item is
 * lost on its way to the table. The table name is validated, never taken as SQL. Thread-safe.
 */
public final class JdbcDeadLetterTable implements Sink<DeadLetter> {
  private static final Pattern TABLE =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_]{0,62}\\.)?[A-Za-z_][A-Za-z0-9_]{0,62}");
  private static final int ERROR_SIZE = 4000;
  private static final int ITEM_SIZE = 10000;

  private final DataSource dataSource;
  private final String sql;
  private final ObjectMapper mapper;

  private JdbcDeadLetterTable(DataSource dataSource, String table, ObjectMapper mapper) {
    this.dataSource = dataSource;
    this.mapper = mapper;
    this.sql =
        "INSERT INTO "
            + table
            + " (pipeline, stage, item_key, attempts, failed_at, error, item)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)";
  }

  /**
   * Creates the sink on a table the host created (see the class comment).
   *
   * @param dataSource where connections come from; the host owns it
   * @param table the table, optionally with a schema: letters, digits and underscores
   * @return the sink
   * @throws IllegalArgumentException if the table name is not a plain SQL identifier
   */
  public static JdbcDeadLetterTable using(DataSource dataSource, String table) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(table, "table");
    if (!TABLE.matcher(table).matches()) {
      throw new IllegalArgumentException(
          "table must be a plain SQL identifier (optionally schema.table) but was '" + table + "'");
    }
    return new JdbcDeadLetterTable(dataSource, table, new ObjectMapper());
  }

  /**
   * Inserts the letter.
   *
   * @param letter the dead letter
   * @throws LintelException naming the table statement, with the {@link SQLException} as cause
   */
  @Override
  public void accept(DeadLetter letter) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, letter.pipeline());
      statement.setString(2, letter.stage());
      statement.setString(3, letter.key());
      statement.setInt(4, letter.attempts());
      statement.setTimestamp(5, Timestamp.from(letter.at()));
      statement.setString(6, cut(String.valueOf(letter.error()), ERROR_SIZE));
      statement.setString(7, cut(json(letter.item()), ITEM_SIZE));
      statement.executeUpdate();
    } catch (SQLException e) {
      throw new LintelException(
          "dead letter of item " + letter.key() + " not written by '" + sql + "'", e);
    }
  }

  private String json(Object item) {
    try {
      return mapper.writeValueAsString(item);
    } catch (Exception notJson) {
      return String.valueOf(item);
    }
  }

  private static String cut(String text, int size) {
    return text.length() <= size ? text : text.substring(0, size);
  }
}
