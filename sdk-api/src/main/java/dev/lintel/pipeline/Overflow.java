package dev.lintel.pipeline;

/** What a stage does when an item arrives and its bounded input is full. */
public enum Overflow {
  /** Wait until there is room: backpressure, slowing the stages before it. The default. */
  BLOCK,
  /**
   * Drop the arriving item and count it as dropped (per stage and for the pipeline). Dropped items
   * are never silent: they appear in progress reports and in {@code read}'s balance.
   */
  DROP
}
