package dev.lintel.core.eventsourcing;

import dev.lintel.LintelException;
import java.io.Serial;

/** Tells that a projection stopped at an event because its handler failed. */
public class ProjectionException extends LintelException {
  @Serial private static final long serialVersionUID = 1L;

  private final String projection;
  private final long position;

  /**
   * Creates the exception.
   *
   * @param projection the projection's name
   * @param position the position of the event it failed on
   * @param cause the handler's failure
   */
  public ProjectionException(String projection, long position, Throwable cause) {
    super(
        "Projection '"
            + projection
            + "' stopped at position "
            + position
            + "; it resumes there after a restart",
        cause);
    this.projection = projection;
    this.position = position;
  }

  /**
   * Names the projection.
   *
   * @return its name
   */
  public String projection() {
    return projection;
  }

  /**
   * Tells the position of the event the projection failed on.
   *
   * @return the position
   */
  public long position() {
    return position;
  }
}
