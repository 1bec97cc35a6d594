package dev.lintel.core.eventsourcing;

/**
 * Implemented by an {@link AggregateRoot} whose state can be captured in a snapshot and restored
 * from one, so loading it does not replay its whole stream.
 *
 * @param <S> the snapshot type: immutable, and serializable by the snapshot store's serializer
 */
public interface Snapshotting<S> {

  /**
   * Captures the current state.
   *
   * @return an immutable copy of the state
   */
  S snapshot();

  /**
   * Replaces the state with a captured one; called on a fresh aggregate before the events after the
   * snapshot are applied.
   *
   * @param snapshot the captured state
   */
  void restore(S snapshot);
}
