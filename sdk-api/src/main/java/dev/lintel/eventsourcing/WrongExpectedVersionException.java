package dev.lintel.eventsourcing;

import dev.lintel.LintelException;
import java.io.Serial;

/**
 * Thrown when an append's expected version does not match the stream's actual version. Nothing was
 * written; reload the stream and decide again.
 */
public class WrongExpectedVersionException extends LintelException {
  @Serial private static final long serialVersionUID = 1L;

  private final String stream;
  private final transient ExpectedVersion expected;
  private final long actualVersion;

  /**
   * Creates the exception.
   *
   * @param stream the stream
   * @param expected what the writer expected
   * @param actualVersion the stream's version, 0 if it does not exist
   */
  public WrongExpectedVersionException(
      String stream, ExpectedVersion expected, long actualVersion) {
    super(
        "Stream '"
            + stream
            + "' was expected at "
            + expected
            + " but is at "
            + (actualVersion == 0 ? "no stream" : "version " + actualVersion));
    this.stream = stream;
    this.expected = expected;
    this.actualVersion = actualVersion;
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
   * Tells what the writer expected.
   *
   * @return the expected version
   */
  public ExpectedVersion expected() {
    return expected;
  }

  /**
   * Tells the stream's actual version.
   *
   * @return the version, 0 if the stream does not exist
   */
  public long actualVersion() {
    return actualVersion;
  }
}
