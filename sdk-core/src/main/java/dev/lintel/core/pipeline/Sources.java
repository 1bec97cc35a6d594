package dev.lintel.core.pipeline;

import dev.lintel.pipeline.Source;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.Spliterator;
import java.util.concurrent.BlockingQueue;
import java.util.stream.Stream;

/**
 * Sources over the JDK's containers. Iterator, iterable and stream sources count items as their
 * position, so they can resume at a checkpoint by skipping that many items, which is right only
 * when they yield the same items in the same order on every run. For files see {@link
 * JsonLinesSource}.
 */
public final class Sources {
  private Sources() {}

  /**
   * Reads an iterator, lazily, from the pipeline's source thread.
   *
   * @param items the iterator
   * @param <T> the type of the items
   * @return a source whose position is the number of items read
   */
  public static <T> Source<T> of(Iterator<T> items) {
    return new IteratorSource<>(Objects.requireNonNull(items, "items"), -1, null);
  }

  /**
   * Reads an iterable; its length (for the ETA) is known when it is a collection.
   *
   * @param items the iterable
   * @param <T> the type of the items
   * @return a source whose position is the number of items read
   */
  public static <T> Source<T> of(Iterable<T> items) {
    Objects.requireNonNull(items, "items");
    long length = items instanceof Collection<?> collection ? collection.size() : -1;
    return new IteratorSource<>(items.iterator(), length, null);
  }

  /**
   * Reads a stream lazily and closes it when the pipeline stops reading; its length is known when
   * the stream is sized.
   *
   * @param items the stream
   * @param <T> the type of the items
   * @return a source whose position is the number of items read
   */
  public static <T> Source<T> of(Stream<T> items) {
    Objects.requireNonNull(items, "items");
    Spliterator<T> spliterator = items.spliterator();
    return new IteratorSource<>(
        java.util.Spliterators.iterator(spliterator),
        spliterator.getExactSizeIfKnown(),
        items::close);
  }

  /**
   * Reads items a host puts into a queue, waiting while it is empty, until the pipeline is closed;
   * items still in the queue then stay there. It has no position.
   *
   * @param queue the queue, usually bounded so that producers feel the backpressure too
   * @param <T> the type of the items
   * @return a source that ends only when the pipeline closes
   */
  public static <T> Source<T> of(BlockingQueue<T> queue) {
    return new QueueSource<>(Objects.requireNonNull(queue, "queue"));
  }
}
