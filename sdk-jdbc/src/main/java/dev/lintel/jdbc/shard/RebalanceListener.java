package dev.lintel.jdbc.shard;

/**
 * Hears how a move progresses. Called on the rebalancer's thread after each batch and at each step;
 * it must be quick and must not throw (a throwing listener is logged and ignored).
 */
@FunctionalInterface
public interface RebalanceListener {

  /**
   * Receives the progress.
   *
   * @param progress where the move is
   */
  void onProgress(RebalanceProgress progress);
}
