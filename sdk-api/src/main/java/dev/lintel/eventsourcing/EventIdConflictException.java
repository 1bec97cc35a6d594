package dev.lintel.eventsourcing;

import dev.lintel.LintelException;
import java.io.Serial;
import java.util.List;
import java.util.UUID;

/**
 * Thrown when an append contains some events whose ids are already stored and some that are new, or
 * ids stored in another stream or order: it is neither a new append nor a retry of an earlier one.
 * Nothing was written.
 */
public class EventIdConflictException extends LintelException {
  @Serial private static final long serialVersionUID = 1L;

  private final String stream;
  private final transient List<UUID> storedIds;

  /**
   * Creates the exception.
   *
   * @param stream the stream appended to
   * @param storedIds the ids of the batch that were already stored
   * @param detail what does not match
   */
  public EventIdConflictException(String stream, List<UUID> storedIds, String detail) {
    super(
        "Append to stream '"
            + stream
            + "' is not a retry of an earlier append: "
            + detail
            + "; already stored: "
            + storedIds);
    this.stream = stream;
    this.storedIds = List.copyOf(storedIds);
  }

  /**
   * Names the stream.
   *
   * @return the stream id
   */
  public String stream() {
    return stream;
  }

  /**
   * Lists the ids of the batch that were already stored.
   *
   * @return the ids
   */
  public List<UUID> storedIds() {
    return storedIds;
  }
}
