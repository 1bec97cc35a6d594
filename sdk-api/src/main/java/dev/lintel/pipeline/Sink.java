package dev.lintel.pipeline;

/**
 * Where a pipeline's items end: a database, a file, a stream. An item counts as processed once
 * {@link #accept(Object)} returned normally; a sink with several workers is called concurrently.
 *
 * @param <T> the type of the items, often a {@code List} after a batching stage
 */
@FunctionalInterface
public interface Sink<T> {

  /**
   * Takes one item (or one batch), durably if the sink is durable.
   *
   * @param item the item
   * @throws Exception when the item cannot be taken; the sink stage's {@link ErrorPolicy} decides
   */
  void accept(T item) throws Exception;
}
