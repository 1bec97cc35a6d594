package dev.lintel.jdbc.eventsourcing;

import dev.lintel.eventsourcing.EventStoreException;
import java.io.Serial;

/**
 * Thrown when the JDBC stores' tables are not at the schema version this release uses: created or
 * migrated by a newer release (use a release that supports their version), or at an older version
 * that this release must migrate first ({@code createSchema()} does, or apply {@code
 * JdbcEventStore.migration(...)}). Nothing was read or written.
 */
public final class SchemaVersionException extends EventStoreException {
  @Serial private static final long serialVersionUID = 1L;

  private final int recordedVersion;
  private final int supportedVersion;

  SchemaVersionException(TableNames tables, int recordedVersion, int supportedVersion) {
    super(message(tables, recordedVersion, supportedVersion), null);
    this.recordedVersion = recordedVersion;
    this.supportedVersion = supportedVersion;
  }

  private static String message(TableNames tables, int recorded, int supported) {
    String where = "The event store tables " + tables.prefix() + "* ";
    if (recorded > supported) {
      return where
          + "are at schema version "
          + recorded
          + " (recorded in "
          + tables.schemaVersion()
          + "), but this Lintel release supports schema versions up to "
          + supported
          + ": use a release that supports version "
          + recorded;
    }
    return where
        + (recorded == 0
            ? "record no schema version (tables of the first release, or none yet)"
            : "are at schema version " + recorded + " (recorded in " + tables.schemaVersion() + ")")
        + ", and this Lintel release uses version "
        + supported
        + ": call createSchema() once, which migrates them keeping their rows (or apply"
        + " JdbcEventStore.migration(dialect, tables, "
        + recorded
        + "))";
  }

  /**
   * Tells the schema version recorded in the database.
   *
   * @return the recorded version
   */
  public int recordedVersion() {
    return recordedVersion;
  }

  /**
   * Tells the highest schema version this release supports.
   *
   * @return the supported version
   */
  public int supportedVersion() {
    return supportedVersion;
  }
}
