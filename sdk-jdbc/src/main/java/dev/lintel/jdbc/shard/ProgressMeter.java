package dev.lintel.jdbc.shard;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns rows done into progress reports for one step of a move: the rate since the step began in
 * this run, the time left at that rate, a report to the listener per batch and a log line at most
 * every few seconds. Not thread-safe.
 */
final class ProgressMeter {
  private static final Logger log = LoggerFactory.getLogger(Rebalancer.class);
  private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final String keyspace;
  private final long fromVersion;
  private final long toVersion;
  private final RebalanceListener listener;
  private RebalanceStep step = RebalanceStep.PREPARE;
  private long startNanos;
  private long lastLogNanos;
  private long doneAtStart;
  private long total = -1;

  ProgressMeter(String keyspace, long fromVersion, long toVersion, RebalanceListener listener) {
    this.keyspace = keyspace;
    this.fromVersion = fromVersion;
    this.toVersion = toVersion;
    this.listener = listener;
  }

  /** Begins a step: rows done before this run (a resumed step) do not count in the rate. */
  void begin(RebalanceStep step, long doneBefore, long total) {
    this.step = step;
    this.startNanos = System.nanoTime();
    this.lastLogNanos = startNanos;
    this.doneAtStart = doneBefore;
    this.total = total;
    log.info(
        "Rebalance of '{}' v{} -> v{}: {}{}",
        keyspace,
        fromVersion,
        toVersion,
        step,
        doneBefore > 0 ? " (resumed at " + doneBefore + " rows)" : "");
    report(null, null, doneBefore);
  }

  /** Reports rows done so far in this step. */
  void report(@Nullable String table, @Nullable String shard, long done) {
    long now = System.nanoTime();
    double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
    double rate = (done - doneAtStart) / seconds;
    Duration eta =
        total >= 0 && rate > 0
            ? Duration.ofMillis((long) (Math.max(0, total - done) / rate * 1000))
            : null;
    RebalanceProgress progress =
        new RebalanceProgress(
            keyspace, fromVersion, toVersion, step, table, shard, done, total, rate, eta);
    try {
      listener.onProgress(progress);
    } catch (RuntimeException e) {
      log.warn("A rebalance listener failed", e);
    }
    if (now - lastLogNanos >= LOG_EVERY_NANOS) {
      lastLogNanos = now;
      log.info(
          "Rebalance of '{}' v{} -> v{}: {} {} rows{} at {}/s, {} left",
          keyspace,
          fromVersion,
          toVersion,
          step,
          done,
          total >= 0 ? " of ~" + total : "",
          Math.round(rate),
          eta == null ? "unknown" : eta);
    }
  }
}
