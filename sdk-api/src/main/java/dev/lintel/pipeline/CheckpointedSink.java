package dev.lintel.pipeline;

/**
 * A sink that stores the pipeline's source position together with each item's effect, atomically
 * (in one database transaction), for <em>exactly-once effects</em>: a pipeline restarted after a
 * crash resumes at the position stored with the last effect that committed, so no item's effect is
 * lost and none is applied twice.
 *
 * <p>The pipeline calls it from one worker, with items in source order (it refuses, at build, a
 * pipeline with an unordered stage before such a sink, or a source without a position). The
 * position given with an item is the source position just after it (after the last item of a
 * batch): every item before it has been handed to this sink or skipped, dead-lettered or dropped.
 * On start the pipeline reads {@link #storedPosition()} and resumes its source there (or at its own
 * checkpoint, whichever is further).
 *
 * <p>Keep the position under its own name: a pipeline's periodic checkpoint ({@code
 * checkpoints(store)}) lags behind it and must not overwrite it.
 *
 * @param <T> the type of the items, often a {@code List} after a batching stage
 */
public interface CheckpointedSink<T> {

  /**
   * Reads the position stored with the last effect that committed.
   *
   * @return that position, 0 when nothing was stored yet
   * @throws Exception when it cannot be read; the pipeline fails to start reading
   */
  long storedPosition() throws Exception;

  /**
   * Applies the item's effect and stores {@code position} in the same transaction: both or neither.
   *
   * @param item the item (or batch)
   * @param position the source position just after the item, to resume at
   * @throws Exception when the item cannot be taken (nothing of it was stored); the sink stage's
   *     {@link ErrorPolicy} decides
   */
  void accept(T item, long position) throws Exception;
}
