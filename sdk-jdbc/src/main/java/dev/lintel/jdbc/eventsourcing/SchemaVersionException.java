package dev.lintel.jdbc.eventsourcing;

import dev.lintel.eventsourcing.EventStoreException;
import java.io.Serial;

/**
 * Thrown when the JDBC stores' tables were created or migrated by a newer Lintel release than this
 * one: their schema version is higher than the one this release knows, so it refuses to read or
 * write them rather than guess. Nothing was read or written. Use a release that supports the
 * recorded version.
 */
public final class SchemaVersionException extends EventStoreException {
  @Serial private static final long serialVersionUID = 1L;

  private final int recordedVersion;
  private final int supportedVersion;

  SchemaVersionException(TableNames tables, int recordedVersion, int supportedVersion) {
    super(
        "The event store tables "
            + tables.prefix()
            + "* are at schema version "
            + recordedVersion
            + " (recorded in "
            + tables.schemaVersion()
            + "), but this Lintel release supports schema versions up to "
            + supportedVersion
            + ": use a release that supports version "
            + recordedVersion,
        null);
    this.recordedVersion = recordedVersion;
    this.supportedVersion = supportedVersion;
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
