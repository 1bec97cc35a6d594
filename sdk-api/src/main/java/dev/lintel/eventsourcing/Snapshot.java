package dev.lintel.eventsourcing;

import java.util.Objects;

/**
 * The state of an aggregate as of one version of its stream, so it can be loaded without replaying
 * every event.
 *
 * @param stream the aggregate's stream
 * @param version the stream version the state includes
 * @param state the state, serialized by the snapshot store
 */
public record Snapshot(String stream, long version, Object state) {

  /**
   * Validates the components.
   *
   * @param stream the stream
   * @param version the version, at least 1
   * @param state the state
   */
  public Snapshot {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(state, "state");
    if (version < 1) {
      throw new IllegalArgumentException("snapshot version must be at least 1 but was " + version);
    }
  }
}
