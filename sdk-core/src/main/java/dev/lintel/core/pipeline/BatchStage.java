package dev.lintel.core.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Collects items into lists of the batch size, handing on a partial list once the first item in it
 * has waited {@code maxWait}, and at the end of input. One worker, so order is kept; it takes what
 * is waiting (up to a quarter of its input, at most 64 items) in one go.
 */
final class BatchStage extends Stage {
  private final int size;
  private final long maxWaitNanos;
  private final int grab;

  BatchStage(RunControl run, StageSpec spec, StageCounters counters, Emitter downstream) {
    super(run, spec, counters, downstream);
    this.size = spec.batchSize;
    this.maxWaitNanos = spec.maxWait.toNanos();
    this.grab = WorkerStage.grab(spec);
  }

  @Override
  void work() throws InterruptedException {
    Emitter next = Objects.requireNonNull(downstream);
    List<Envelope> batch = new ArrayList<>(size);
    List<Object> taken = new ArrayList<>(grab);
    long deadline = 0;
    while (true) {
      Object first;
      if (batch.isEmpty()) {
        first = takeSoon();
      } else {
        long wait = deadline - System.nanoTime();
        first = wait > 0 ? input.poll(wait, TimeUnit.NANOSECONDS) : null;
      }
      if (first == null) {
        flush(batch, next);
        continue;
      }
      taken.add(first);
      if (grab > 1) {
        input.drainTo(taken, grab - 1);
      }
      for (int i = 0; i < taken.size(); i++) {
        Object item = taken.get(i);
        if (item == END) {
          flush(batch, next);
          passEndToSibling();
          return;
        }
        Envelope envelope = (Envelope) item;
        if (batch.isEmpty()) {
          deadline = System.nanoTime() + maxWaitNanos;
        }
        counters.entered(envelope.items); // one writer: a plain store
        batch.add(envelope);
        if (batch.size() >= size) {
          flush(batch, next);
        }
      }
      taken.clear();
    }
  }

  /**
   * Hands on a batch the source thread filled ({@link SourceBatches}); the source thread is then
   * this stage's only counting thread, as its own thread sees no items.
   */
  void handOn(Envelope batch) throws InterruptedException {
    counters.entered(batch.items);
    counters.passed(batch.items);
    Objects.requireNonNull(downstream).emit(batch);
  }

  int size() {
    return size;
  }

  long maxWaitNanos() {
    return maxWaitNanos;
  }

  private void flush(List<Envelope> batch, Emitter next) throws InterruptedException {
    if (batch.isEmpty()) {
      return;
    }
    Envelope envelope = Envelope.batch(batch);
    batch.clear();
    counters.passed(envelope.items);
    next.emit(envelope);
  }
}
