package dev.lintel.jdbc.eventsourcing;

import dev.lintel.core.eventsourcing.AbstractEventStore.AppendConflict;
import dev.lintel.core.eventsourcing.AbstractEventStore.PendingEvent;
import dev.lintel.eventsourcing.AppendResult;
import dev.lintel.eventsourcing.ExpectedVersion;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One caller's append as an {@link Appender} writes it, alone or in a group with others.
 *
 * @param stream the stream id
 * @param expected the expected version
 * @param events the serialized events, at least one
 * @param timestamp the time to record
 */
record AppendBatch(
    String stream, ExpectedVersion expected, List<PendingEvent> events, Instant timestamp) {

  /** How many events the batch holds. */
  int size() {
    return events.size();
  }

  /** About how many bytes the batch sends: its JSON, counted in characters. */
  long bytes() {
    long bytes = 0;
    for (PendingEvent event : events) {
      bytes += event.json().length() + event.metadataJson().length();
    }
    return bytes;
  }

  /**
   * The expected version as the append function reads it: -2 any, -1 the stream exists, 0 no
   * stream, n exactly n.
   */
  long encodedExpectation() {
    if (expected.isExact()) {
      return expected.version();
    }
    return expected.isSatisfiedBy(0) ? -2 : -1;
  }

  /**
   * What became of one batch: written (final when its transaction commits), or refused for a
   * conflict with nothing of it written. The other batches of its group are not affected either
   * way.
   *
   * @param result the new version and positions, if written
   * @param conflict why it was refused, if it was
   */
  record Outcome(@Nullable AppendResult result, @Nullable AppendConflict conflict) {

    static Outcome written(AppendResult result) {
      return new Outcome(result, null);
    }

    static Outcome refused(AppendConflict conflict) {
      return new Outcome(null, conflict);
    }

    /**
     * Gives the result.
     *
     * @return the new version and positions
     * @throws AppendConflict if the batch was refused
     */
    AppendResult get() throws AppendConflict {
      if (conflict != null) {
        throw conflict;
      }
      return Objects.requireNonNull(result);
    }
  }
}
