package dev.lintel.redis.pipeline;

import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream reader's view of a Redis outage: after a failed command it waits (100 ms, doubling to 1
 * s) and lets the caller try again, until Redis has failed for longer than the tolerance; then it
 * rethrows the last failure. Logs the start and the end of an outage once each. Used by one thread.
 */
final class Outage {
  private static final Logger log = LoggerFactory.getLogger(RedisStreamSource.class);
  private static final long FIRST_WAIT_MILLIS = 100;
  private static final long LONGEST_WAIT_MILLIS = 1_000;

  private final String stream;
  private final long toleranceNanos;
  private long since = -1; // when the current outage began; -1 when there is none
  private long waitMillis = FIRST_WAIT_MILLIS;

  Outage(String stream, Duration tolerance) {
    this.stream = stream;
    this.toleranceNanos = tolerance.toNanos();
  }

  /** A command failed: waits before the next try, or rethrows once past the tolerance. */
  void failed(RedisException error) throws InterruptedException {
    long now = System.nanoTime();
    if (since < 0) {
      since = now;
      if (toleranceNanos > 0) {
        log.warn(
            "Stream '{}': Redis failed a command ({}); retrying for up to {} ms",
            stream,
            error.toString(),
            TimeUnit.NANOSECONDS.toMillis(toleranceNanos));
      }
    }
    if (now - since >= toleranceNanos) {
      throw error;
    }
    TimeUnit.MILLISECONDS.sleep(waitMillis);
    waitMillis = Math.min(LONGEST_WAIT_MILLIS, waitMillis * 2);
  }

  /** A command succeeded: ends the outage, if there was one. */
  void recovered() {
    if (since >= 0) {
      log.info(
          "Stream '{}': Redis answers again after {} ms",
          stream,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since));
      since = -1;
      waitMillis = FIRST_WAIT_MILLIS;
    }
  }
}
