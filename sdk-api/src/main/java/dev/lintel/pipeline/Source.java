package dev.lintel.pipeline;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Where a pipeline's items come from. A pipeline calls {@link #read()} from one thread only, until
 * it returns {@code null} (the end) or the pipeline stops, then calls {@link #close()} once from
 * that same thread; a source need not be thread-safe.
 *
 * <p>A source may have a <em>position</em> (a file offset, an event position, a count of items) so
 * that a stopped pipeline resumes where it left off: the pipeline stores the position below which
 * every item has been processed, skipped or dead-lettered, and on the next start calls {@link
 * #resumeAt(long)} with it before the first read. Items between that checkpoint and the crash are
 * read again: delivery is at least once.
 *
 * <p>Reading blocks while no item is available. When the pipeline is closed gracefully it stops
 * calling {@link #read()} and calls {@link #stop()} from another thread, so that a source waiting
 * for items can return {@code null}; only if the drain runs out of time is the reading thread
 * interrupted.
 *
 * @param <T> the type of the items
 */
public interface Source<T> extends AutoCloseable {

  /**
   * Reads the next item, blocking until one is available.
   *
   * @return the next item, or {@code null} once the source is exhausted
   * @throws InvalidItemException when this one item cannot be read but the source can go on (a
   *     malformed line); the stage's {@link ErrorPolicy} decides what happens to it
   * @throws Exception when the source cannot be read any more; the pipeline fails
   */
  @Nullable T read() throws Exception;

  /**
   * Tells the position just after the last item read, in the source's own unit.
   *
   * @return the position, or -1 if this source has none (then it cannot be checkpointed)
   */
  default long position() {
    return -1;
  }

  /**
   * Tells the position at which the source ends, to estimate the time left.
   *
   * @return the end position in the unit of {@link #position()}, or -1 when unknown
   */
  default long length() {
    return -1;
  }

  /**
   * Moves to a stored position before the first read, so the next item read is the first one at or
   * after it.
   *
   * @param position a position {@link #position()} returned in an earlier run
   * @throws UnsupportedOperationException if this source cannot resume (the default)
   * @throws Exception when the position cannot be reached
   */
  default void resumeAt(long position) throws Exception {
    throw new UnsupportedOperationException(getClass().getName() + " cannot resume at a position");
  }

  /**
   * Asks a source blocked in {@link #read()} to return {@code null} soon: the pipeline is closing.
   * Called at most once, from another thread than the one reading; does nothing by default, which
   * is right for sources that never wait long (files, iterators over memory).
   */
  default void stop() {}

  /**
   * Releases what the source holds (a file, a connection); does nothing by default.
   *
   * @throws IOException when releasing fails; the pipeline logs it
   */
  @Override
  default void close() throws IOException {}
}
