package dev.lintel.core.pipeline;

import dev.lintel.pipeline.Source;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** A blocking queue as a source: waits for items until the pipeline stops it. */
final class QueueSource<T> implements Source<T> {
  private static final long POLL_MILLIS = 50;

  private final BlockingQueue<T> queue;
  private volatile boolean stopped;

  QueueSource(BlockingQueue<T> queue) {
    this.queue = queue;
  }

  @Override
  public @Nullable T read() throws InterruptedException {
    while (!stopped) {
      T item = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
      if (item != null) {
        return item;
      }
    }
    return null;
  }

  @Override
  public void stop() {
    stopped = true;
  }
}
