package dev.lintel.core.pipeline;

import dev.lintel.pipeline.Sink;
import dev.lintel.pipeline.Step;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A stage whose workers take items from its input and apply a step ({@code mapAsync}, {@code
 * parallel}) or a sink, under the stage's error policy; in order through a {@link ReorderWindow}
 * when the stage is ordered.
 */
final class WorkerStage extends Stage {
  private final Attempts attempts;
  private final Attempts.Action action;
  private final boolean isSink;
  private final @Nullable ReorderWindow window;

  WorkerStage(
      RunControl run, StageSpec spec, StageCounters counters, @Nullable Emitter downstream) {
    super(run, spec, counters, downstream);
    this.attempts = new Attempts(run, spec, counters);
    this.isSink = spec.kind == StageSpec.Kind.SINK;
    if (isSink) {
      Sink<Object> sink = Objects.requireNonNull(spec.sink);
      this.action = envelope -> sink.accept(envelope.value());
    } else {
      Step<Object, Object> step = Objects.requireNonNull(spec.step);
      this.action =
          envelope -> envelope.value = Results.notNull(step.apply(envelope.value()), spec);
    }
    this.window =
        spec.window > 0 && downstream != null
            ? new ReorderWindow(spec.window, downstream, counters)
            : null;
  }

  @Override
  void work() throws InterruptedException {
    long[] seq = new long[1];
    while (true) {
      Object taken = window != null ? window.take(input, seq) : input.take();
      if (taken == END) {
        passEndToSibling();
        return;
      }
      Envelope envelope = (Envelope) taken;
      counters.begin(envelope.items);
      boolean goOn;
      try {
        goOn = attempts.run(envelope, action);
      } finally {
        counters.end(run.time.nanoTime());
      }
      if (isSink) {
        if (goOn) {
          counters.passed(envelope.items);
          run.ledger.processed(envelope);
        }
      } else if (window != null) {
        window.complete(seq[0], goOn ? envelope : null);
      } else if (goOn) {
        counters.passed(envelope.items);
        Objects.requireNonNull(downstream).emit(envelope);
      }
    }
  }
}
