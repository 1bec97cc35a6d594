package dev.lintel.pipeline;

import dev.lintel.LintelException;
import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a pipeline fails: a stage whose {@link ErrorPolicy} is to fail met an error (after
 * its retries), the source could not be read, or a dead-letter sink refused an item. The message
 * names the pipeline, the stage and the item's key; the error is the cause.
 */
public class PipelineException extends LintelException {
  @Serial private static final long serialVersionUID = 1L;

  private final String pipeline;
  private final String stage;

  /**
   * Creates the exception.
   *
   * @param pipeline the pipeline's name
   * @param stage the stage's name
   * @param message what went wrong, naming the item's key
   * @param cause the error
   */
  public PipelineException(
      String pipeline, String stage, String message, @Nullable Throwable cause) {
    super("Pipeline '" + pipeline + "', stage '" + stage + "': " + message, cause);
    this.pipeline = pipeline;
    this.stage = stage;
  }

  /**
   * Names the failed pipeline.
   *
   * @return the pipeline's name
   */
  public String pipeline() {
    return pipeline;
  }

  /**
   * Names the stage where it failed.
   *
   * @return the stage's name
   */
  public String stage() {
    return stage;
  }
}
