package dev.lintel.samples.orders.bootstrap;

import dev.lintel.pipeline.PipelineProgress;
import dev.lintel.pipeline.ProgressListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Shows a pipeline's progress on the terminal as one line that rewrites itself ({@code \r}): a bar
 * when the total is known, the counts, the rate and the time left; the last report ends the line.
 */
final class ConsoleProgress implements ProgressListener {
  private static final int BAR_WIDTH = 24;

  private final PrintStream out;
  private final String label;
  private final long total;

  /**
   * Creates the display.
   *
   * @param out the terminal
   * @param label what is in progress
   * @param total how many items there are, or 0 if not known
   */
  ConsoleProgress(PrintStream out, String label, long total) {
    this.out = out;
    this.label = label;
    this.total = total;
  }

  @Override
  public void onProgress(PipelineProgress progress) {
    out.print("\r" + line(progress));
    if (progress.state().isFinal()) {
      out.println();
    }
    out.flush();
  }

  String line(PipelineProgress progress) {
    long done = progress.processed() + progress.deadLettered() + progress.skipped();
    StringBuilder line = new StringBuilder("  ").append(label).append(' ');
    if (total > 0) {
      int filled = (int) Math.min(BAR_WIDTH, done * BAR_WIDTH / total);
      line.append('[').append("#".repeat(filled)).append(" ".repeat(BAR_WIDTH - filled));
      line.append(String.format(Locale.ROOT, "] %,d/%,d", done, total));
    } else {
      line.append(String.format(Locale.ROOT, "%,d", done));
    }
    line.append(
        String.format(
            Locale.ROOT,
            "  %,d imported  %,d dead letters  %,.0f/s",
            progress.processed(),
            progress.deadLettered(),
            progress.itemsPerSecond()));
    Duration eta = progress.eta();
    if (progress.state().isFinal()) {
      line.append(
          String.format(Locale.ROOT, "  done in %.1f s", progress.elapsed().toMillis() / 1000.0));
    } else if (eta != null) {
      line.append(String.format(Locale.ROOT, "  ETA %d s", eta.toSeconds()));
    }
    return line.toString();
  }
}
