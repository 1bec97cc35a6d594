package dev.lintel.core.cache;

import dev.lintel.TimeSource;
import java.time.Duration;

/**
 * Whether L1 may answer, given the state of the invalidation channel: always while the channel is
 * up (or the cache has no shared level); while it is down, only for the stale window after it went
 * down, since invalidations from other nodes may be missed from then on. A value served from L1 is
 * therefore never staler than that window because of a lost message. Time is read on the cache's
 * {@link TimeSource}.
 *
 * <p>Thread-safe. The hit path ({@link #l1Usable()}) reads one volatile field while the channel is
 * up.
 */
final class CoherenceGate {
  private final long windowNanos;
  private final TimeSource time;
  private volatile boolean down;
  private volatile long downSinceNanos;

  CoherenceGate(Duration window, TimeSource time) {
    this.windowNanos = window.toNanos();
    this.time = time;
  }

  /** True while L1 may answer. */
  boolean l1Usable() {
    return !down || time.nanoTime() - downSinceNanos < windowNanos;
  }

  /** The channel went down (the first call of an outage counts). */
  void channelDown() {
    if (!down) {
      downSinceNanos = time.nanoTime();
      down = true;
    }
  }

  /** The channel is back; the caller has already cleared L1. */
  void channelUp() {
    down = false;
  }

  boolean channelIsDown() {
    return down;
  }

  /** How long the channel has been down; zero while it is up. */
  Duration downFor() {
    return down ? Duration.ofNanos(time.nanoTime() - downSinceNanos) : Duration.ZERO;
  }
}
