package dev.lintel.jdbc.eventsourcing;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The names of the tables the JDBC stores use: a validated prefix followed by {@code events},
 * {@code streams}, {@code positions}, {@code snapshots}, {@code checkpoints} and {@code
 * schema_version} (and, on PostgreSQL, the functions {@code append} and {@code append_group} and
 * the notification channel named like the events table). The prefix is the only part that reaches
 * SQL text, and it may hold only lower-case letters, digits, underscores and one dot after a schema
 * name; everything else is a parameter.
 *
 * @param prefix the validated prefix, for example {@code "lintel_"} or {@code "billing.es_"}
 */
public record TableNames(String prefix) {
  private static final Pattern PREFIX =
      Pattern.compile("([a-z_][a-z0-9_]{0,30}\\.)?[a-z_][a-z0-9_]{0,30}");

  /**
   * Validates the prefix.
   *
   * @param prefix the prefix
   * @throws IllegalArgumentException if the prefix is not a safe SQL identifier prefix
   */
  public TableNames {
    Objects.requireNonNull(prefix, "prefix");
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "table prefix must be lower-case letters, digits and underscores (optionally after"
              + " 'schema.'), at most 31 characters each, but was '"
              + prefix
              + "'");
    }
  }

  /**
   * The default names, prefixed {@code lintel_}.
   *
   * @return the table names
   */
  public static TableNames defaults() {
    return new TableNames("lintel_");
  }

  /**
   * Names the events table.
   *
   * @return the table name
   */
  public String events() {
    return prefix + "events";
  }

  /**
   * Names the streams table (one row per stream with its version).
   *
   * @return the table name
   */
  public String streams() {
    return prefix + "streams";
  }

  /**
   * Names the one-row table that allocates global positions.
   *
   * @return the table name
   */
  public String positions() {
    return prefix + "positions";
  }

  /**
   * Names the snapshots table.
   *
   * @return the table name
   */
  public String snapshots() {
    return prefix + "snapshots";
  }

  /**
   * Names the PostgreSQL function that performs an append in one statement.
   *
   * @return the function name
   */
  public String appendFunction() {
    return prefix + "append";
  }

  /**
   * Names the PostgreSQL function that appends a group of batches, for several streams, in one
   * statement.
   *
   * @return the function name
   */
  public String appendGroupFunction() {
    return prefix + "append_group";
  }

  /**
   * Names the PostgreSQL function that appends one batch to one stream in one statement: what the
   * group function does for a group of one, with scalar lookups and about half its server time.
   *
   * @return the function name
   */
  public String appendOneFunction() {
    return prefix + "append_one";
  }

  /**
   * Names the PostgreSQL {@code NOTIFY} channel on which appends announce the last position they
   * committed: the events table's name.
   *
   * @return the channel name
   */
  public String notificationChannel() {
    return events();
  }

  /**
   * Names the projection checkpoints table.
   *
   * @return the table name
   */
  public String checkpoints() {
    return prefix + "checkpoints";
  }

  /**
   * Names the table that records which schema versions were created or migrated to.
   *
   * @return the table name
   */
  public String schemaVersion() {
    return prefix + "schema_version";
  }
}
