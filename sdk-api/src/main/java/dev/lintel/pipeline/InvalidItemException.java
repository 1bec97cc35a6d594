package dev.lintel.pipeline;

import dev.lintel.LintelException;
import java.io.Serial;

/**
 * Thrown by a {@link Source} for one item it cannot read (a malformed line) while it can go on with
 * the next. The item counts as read; the source stage's {@link ErrorPolicy} skips it, dead-letters
 * it with its {@link #raw()} form, or fails the pipeline. It is never retried.
 */
public class InvalidItemException extends LintelException {
  @Serial private static final long serialVersionUID = 1L;

  private final String key;
  private final transient Object raw;

  /**
   * Creates the exception.
   *
   * @param key names the item, for example {@code "orders.jsonl:17"}
   * @param raw the item as read (a line of text), kept for the dead-letter sink
   * @param cause why it cannot be read
   */
  public InvalidItemException(String key, Object raw, Throwable cause) {
    super("Invalid item " + key + ": " + cause.getMessage(), cause);
    this.key = key;
    this.raw = raw;
  }

  /**
   * Names the item.
   *
   * @return the key given by the source
   */
  public String key() {
    return key;
  }

  /**
   * Gives the item as it was read.
   *
   * @return the raw item
   */
  public Object raw() {
    return raw;
  }
}
