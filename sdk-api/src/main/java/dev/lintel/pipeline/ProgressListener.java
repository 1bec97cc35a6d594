package dev.lintel.pipeline;

/**
 * Receives a pipeline's progress at its progress interval and once more when it ends. Called from
 * the pipeline's monitor thread, one call at a time; a listener that throws is logged and called
 * again next time.
 */
@FunctionalInterface
public interface ProgressListener {

  /**
   * Takes one report.
   *
   * @param progress the pipeline's counts, rate and stages at the time of the report
   */
  void onProgress(PipelineProgress progress);
}
