package dev.lintel.eventsourcing;

/**
 * What an append wrote: the stream's new version and the global positions of its events, which are
 * contiguous ({@code firstPosition..lastPosition}) because an append is atomic.
 *
 * @param stream the stream
 * @param version the stream's version after the append
 * @param firstPosition the global position of the first event written
 * @param lastPosition the global position of the last event written
 */
public record AppendResult(String stream, long version, long firstPosition, long lastPosition) {

  /**
   * Counts the events written.
   *
   * @return the number of events
   */
  public int count() {
    return (int) (lastPosition - firstPosition + 1);
  }
}
