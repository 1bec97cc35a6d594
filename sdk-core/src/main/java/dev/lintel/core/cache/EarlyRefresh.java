package dev.lintel.core.cache;

import dev.lintel.TimeSource;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Decides, on a hit, whether to reload an entry in the background before it expires. Thread-safe.
 */
final class EarlyRefresh {

  /*
   * XFetch (Vattani, Chierichetti and Lowenstein, "Optimal Probabilistic Cache Stampede
   * Prevention", VLDB 2015). Each hit refreshes when
   *
   *     now - delta * beta * ln(rand()) >= expiry
   *
   * where delta is how long the value took to compute and rand() is uniform in [0, 1). -ln(rand())
   * is exponentially distributed with mean 1, so a hit refreshes with probability
   * exp(-(expiry - now) / (delta * beta)): practically never long before expiry, more and more
   * likely as expiry nears, and earlier for values that are slow to compute. Each hit decides on
   * its own, without coordination; among many hits one is very likely to refresh before expiry,
   * and the single flight (LoadCoordinator.refresh) keeps the others from refreshing too. The
   * paper proves the schedule optimal for beta = 1; larger beta refreshes earlier.
   *
   * It needs delta and the expiry per entry, which is what TimedValue carries; entries this node did
   * not load (filled from L2 or by put) have delta 0 and expire normally.
   */

  private final double beta;
  private final TimeSource time;
  private final DoubleSupplier random;

  EarlyRefresh(double beta, TimeSource time) {
    this(beta, time, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** With the given random numbers, uniform in [0, 1), for tests. */
  EarlyRefresh(double beta, TimeSource time, DoubleSupplier random) {
    this.beta = beta;
    this.time = time;
    this.random = random;
  }

  /** Whether a hit on this entry should refresh it now. */
  boolean isDue(TimedValue entry) {
    double gap = entry.computeNanos * beta * -Math.log(random.getAsDouble());
    return time.nanoTime() + gap >= entry.expiresAtNanos;
  }
}
