package dev.lintel.core.pipeline;

import dev.lintel.pipeline.InvalidItemException;
import dev.lintel.pipeline.PipelineException;
import dev.lintel.pipeline.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that reads the source: it resumes at the checkpoint, reads until the source ends
 * or the pipeline stops reading, accounts for every item in the ledger, hands items on (waiting
 * while the first stage is full: backpressure reaches the source here) and closes the source.
 */
final class SourceLoop {
  private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

  private final RunControl run;
  private final Source<?> source;
  private final StageSpec spec;
  private final StageCounters counters;
  private final Attempts attempts;
  private final Emitter downstream;
  private final ResumePosition resumeAt;

  /** How many items the loop reads between updates of the source's counters. */
  private static final int COUNT_EVERY = 64;

  /** Reads where the source resumes (a stored checkpoint), -1 for nowhere. */
  @FunctionalInterface
  interface ResumePosition {
    long load() throws Exception;
  }

  SourceLoop(
      RunControl run,
      Source<?> source,
      StageSpec spec,
      StageCounters counters,
      Emitter downstream,
      ResumePosition resumeAt) {
    this.run = run;
    this.source = source;
    this.spec = spec;
    this.counters = counters;
    this.attempts = new Attempts(run, spec, counters);
    this.downstream = downstream;
    this.resumeAt = resumeAt;
  }

  void runAndExit() {
    try {
      try {
        resume();
        readAll();
      } finally {
        closeSource();
      }
      downstream.end();
    } catch (InterruptedException e) {
      // cancelled or failed elsewhere
    } catch (PipelineException e) {
      run.fail(e);
    } catch (Exception | Error e) {
      run.fail(new PipelineException(run.pipeline, spec.name, "cannot read the source: " + e, e));
    } finally {
      run.exited();
    }
  }

  private void resume() throws Exception {
    long position;
    try {
      position = resumeAt.load();
    } catch (Exception e) {
      throw new PipelineException(
          run.pipeline, spec.name, "cannot load the position to resume at: " + e, e);
    }
    if (position > 0) {
      log.info("Pipeline '{}' resumes its source at position {}", run.pipeline, position);
      source.resumeAt(position);
    }
  }

  private void readAll() throws Exception {
    if (SourceBatches.suits(source, downstream.next())) {
      new SourceBatches(run, source, counters, attempts, downstream, (BatchStage) downstream.next())
          .readAll();
      return;
    }
    ReadAhead ahead = ReadAhead.forSource(source, downstream);
    boolean keyed = run.keyOf != null;
    int uncounted = 0; // items read and passed on, not yet added to the counters
    try {
      while (!run.readingStopped()) {
        ahead.beforeRead();
        long start = source.position();
        Object item;
        try {
          item = source.read();
        } catch (InvalidItemException invalid) {
          Envelope envelope = run.ledger.admit(invalid.raw(), null, start, source.position());
          counters.entered(1);
          attempts.invalid(envelope, invalid);
          continue;
        }
        if (item == null) {
          break;
        }
        Envelope envelope = run.ledger.admit(item, keyed ? item : null, start, source.position());
        if (++uncounted == COUNT_EVERY) {
          count(uncounted);
          uncounted = 0;
        }
        ahead.emit(envelope);
      }
      ahead.flush();
    } finally {
      count(uncounted);
    }
  }

  private void count(int items) {
    if (items > 0) {
      counters.entered(items);
      counters.passed(items);
    }
  }

  private void closeSource() {
    try {
      source.close();
    } catch (Exception e) {
      log.warn("Pipeline '{}': closing the source failed", run.pipeline, e);
    }
  }
}
