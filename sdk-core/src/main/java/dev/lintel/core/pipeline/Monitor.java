package dev.lintel.core.pipeline;

import dev.lintel.eventsourcing.CheckpointStore;
import dev.lintel.pipeline.PipelineProgress;
import dev.lintel.pipeline.ProgressListener;
import dev.lintel.pipeline.StageProgress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's monitor thread: at the progress interval it logs a report and hands it to the
 * listener; at the checkpoint interval it stores the source position below which everything is
 * finished. On the way out it does both once more.
 */
final class Monitor {
  private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

  private final String pipeline;
  private final Duration progressInterval;
  private final @Nullable ProgressListener listener;
  private final Supplier<PipelineProgress> progress;
  private final @Nullable CheckpointStore checkpoints;
  private final Duration checkpointInterval;
  private final Ledger ledger;
  private @Nullable ScheduledExecutorService executor;
  private long savedPosition = -1;

  Monitor(
      String pipeline,
      Duration progressInterval,
      @Nullable ProgressListener listener,
      Supplier<PipelineProgress> progress,
      @Nullable CheckpointStore checkpoints,
      Duration checkpointInterval,
      Ledger ledger) {
    this.pipeline = pipeline;
    this.progressInterval = progressInterval;
    this.listener = listener;
    this.progress = progress;
    this.checkpoints = checkpoints;
    this.checkpointInterval = checkpointInterval;
    this.ledger = ledger;
  }

  void start() {
    boolean reports = !progressInterval.isZero();
    if (!reports && checkpoints == null) {
      return;
    }
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "lintel-pipeline-" + pipeline + "-monitor");
              thread.setDaemon(true);
              return thread;
            });
    if (reports) {
      long every = progressInterval.toNanos();
      scheduler.scheduleAtFixedRate(
          () -> report(progress.get()), every, every, TimeUnit.NANOSECONDS);
    }
    if (checkpoints != null) {
      long every = checkpointInterval.toNanos();
      scheduler.scheduleAtFixedRate(this::saveCheckpoint, every, every, TimeUnit.NANOSECONDS);
    }
    executor = scheduler;
  }

  /** Stops the periodic work, then stores the last checkpoint and reports the final counts. */
  void stop(PipelineProgress last) {
    ScheduledExecutorService scheduler = executor;
    if (scheduler != null) {
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    saveCheckpoint();
    report(last);
  }

  private synchronized void saveCheckpoint() {
    CheckpointStore store = checkpoints;
    if (store == null) {
      return;
    }
    long position = ledger.checkpoint();
    if (position == savedPosition) {
      return;
    }
    try {
      store.save(pipeline, position);
      savedPosition = position;
    } catch (RuntimeException e) {
      log.warn("Pipeline '{}': storing checkpoint {} failed", pipeline, position, e);
    }
  }

  private synchronized void report(PipelineProgress now) {
    if (log.isInfoEnabled()) {
      log.info(describe(now));
    }
    ProgressListener target = listener;
    if (target != null) {
      try {
        target.onProgress(now);
      } catch (RuntimeException e) {
        log.warn("Pipeline '{}': the progress listener failed", pipeline, e);
      }
    }
  }

  static String describe(PipelineProgress p) {
    StringBuilder line = new StringBuilder();
    line.append("Pipeline '")
        .append(p.pipeline())
        .append("' ")
        .append(p.state())
        .append(": read ")
        .append(p.read())
        .append(", processed ")
        .append(p.processed())
        .append(", skipped ")
        .append(p.skipped())
        .append(", dead-lettered ")
        .append(p.deadLettered())
        .append(", dropped ")
        .append(p.dropped())
        .append(", in flight ")
        .append(p.inFlight())
        .append(String.format(Locale.ROOT, ", %.1f items/s", p.itemsPerSecond()));
    Duration eta = p.eta();
    if (eta != null) {
      line.append(", ETA ").append(eta.toSeconds()).append(" s");
    }
    line.append("; stages:");
    for (StageProgress stage : p.stages()) {
      line.append(' ')
          .append(stage.name())
          .append(" [in ")
          .append(stage.in())
          .append(", out ")
          .append(stage.out());
      if (stage.capacity() > 0) {
        line.append(", queued ").append(stage.queued()).append('/').append(stage.capacity());
      }
      if (stage.failures() > 0) {
        line.append(", failures ").append(stage.failures());
      }
      if (stage.dropped() > 0) {
        line.append(", dropped ").append(stage.dropped());
      }
      line.append(", busy ").append(stage.busy()).append(']');
    }
    return line.toString();
  }
}
