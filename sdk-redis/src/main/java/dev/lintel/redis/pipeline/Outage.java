package dev.lintel.redis.pipeline;

import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rides a stream's Redis commands through an outage: a call that Redis fails is tried again after a
 * wait (100 ms, doubling to 1 s) until it succeeds or Redis has failed it for longer than the
 * tolerance, when the last failure is thrown. The start and the end of an outage are logged once
 * each.
 */
final class Outage {
  private static final Logger log = LoggerFactory.getLogger(RedisStreamSource.class);
  private static final long FIRST_WAIT_MILLIS = 100;
  private static final long LONGEST_WAIT_MILLIS = 1_000;

  /** A call to Redis. */
  @FunctionalInterface
  interface Call<T> {
    T run() throws InterruptedException;
  }

  private Outage() {}

  /**
   * Runs the call, again after each failure Redis gave it, for up to {@code tolerance}.
   *
   * @throws RedisException the last failure, once Redis has failed the call for the tolerance
   * @throws InterruptedException if interrupted, waiting or in a command
   */
  static <T> T retrying(String stream, Duration tolerance, Call<T> call)
      throws InterruptedException {
    long since = -1; // when the outage began
    long waitMillis = FIRST_WAIT_MILLIS;
    while (true) {
      try {
        T result = call.run();
        if (since >= 0) {
          log.info(
              "Stream '{}': Redis answers again after {} ms",
              stream,
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since));
        }
        return result;
      } catch (RedisCommandInterruptedException e) {
        throw (InterruptedException) new InterruptedException("interrupted").initCause(e);
      } catch (RedisException e) {
        long now = System.nanoTime();
        if (since < 0) {
          since = now;
          if (!tolerance.isZero()) {
            log.warn(
                "Stream '{}': Redis failed a command ({}); retrying for up to {} ms",
                stream,
                e.toString(),
                tolerance.toMillis());
          }
        }
        if (now - since >= tolerance.toNanos()) {
          throw e;
        }
        TimeUnit.MILLISECONDS.sleep(waitMillis);
        waitMillis = Math.min(LONGEST_WAIT_MILLIS, waitMillis * 2);
      }
    }
  }
}
