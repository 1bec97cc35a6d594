package dev.lintel.core.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Collects items into lists of the batch size, handing on a partial list once the first item in it
 * has waited {@code maxWait}, and at the end of input. One worker, so order is kept.
 */
final class BatchStage extends Stage {
  private final int size;
  private final long maxWaitNanos;

  BatchStage(RunControl run, StageSpec spec, StageCounters counters, Emitter downstream) {
    super(run, spec, counters, downstream);
    this.size = spec.batchSize;
    this.maxWaitNanos = spec.maxWait.toNanos();
  }

  @Override
  void work() throws InterruptedException {
    Emitter next = Objects.requireNonNull(downstream);
    List<Envelope> batch = new ArrayList<>(size);
    long deadline = 0;
    while (true) {
      Object taken;
      if (batch.isEmpty()) {
        taken = input.take();
      } else {
        long wait = deadline - System.nanoTime();
        taken = wait > 0 ? input.poll(wait, TimeUnit.NANOSECONDS) : null;
      }
      if (taken == null) {
        flush(batch, next);
        continue;
      }
      if (taken == END) {
        flush(batch, next);
        passEndToSibling();
        return;
      }
      Envelope envelope = (Envelope) taken;
      if (batch.isEmpty()) {
        deadline = System.nanoTime() + maxWaitNanos;
      }
      counters.entered(envelope.items);
      batch.add(envelope);
      if (batch.size() >= size) {
        flush(batch, next);
      }
    }
  }

  private void flush(List<Envelope> batch, Emitter next) throws InterruptedException {
    if (batch.isEmpty()) {
      return;
    }
    Envelope envelope = Envelope.batch(batch);
    batch.clear();
    counters.passed(envelope.items);
    counters.progressed(run.time.nanoTime());
    next.emit(envelope);
  }
}
