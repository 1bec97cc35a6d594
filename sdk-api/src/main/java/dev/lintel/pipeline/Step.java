package dev.lintel.pipeline;

/**
 * One stage's function from an input item to an output item. A step may be called from several
 * threads at once when its stage has several workers, so it must be thread-safe then; it must not
 * return {@code null} (that is reported as a failure of the item).
 *
 * @param <I> the input type
 * @param <O> the output type
 */
@FunctionalInterface
public interface Step<I, O> {

  /**
   * Transforms one item.
   *
   * @param item the input item
   * @return the output item, never null
   * @throws Exception when the item cannot be transformed; the stage's {@link ErrorPolicy} decides
   *     whether it is retried, skipped, dead-lettered or fails the pipeline
   */
  O apply(I item) throws Exception;
}
