package dev.lintel.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for asynchronous effects in tests by polling a condition up to a deadline. */
public final class Eventually {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

  private Eventually() {}

  /**
   * Waits until the condition holds, polling every 5 ms, for at most 20 seconds.
   *
   * @param condition the condition
   * @param what what is awaited, for the failure message
   * @throws AssertionError if the condition does not hold in time
   */
  public static void awaitTrue(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + DEFAULT_TIMEOUT + " waiting for " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
  }
}
