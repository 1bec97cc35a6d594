package dev.lintel.core.pipeline;

import dev.lintel.pipeline.Source;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/** An iterator as a source; its position counts the items read. */
final class IteratorSource<T> implements Source<T> {
  private final Iterator<T> items;
  private final long length;
  private final @Nullable Runnable onClose;
  // written by the reading thread only; read by reports on other threads
  private final AtomicLong position = new AtomicLong();

  IteratorSource(Iterator<T> items, long length, @Nullable Runnable onClose) {
    this.items = items;
    this.length = length;
    this.onClose = onClose;
  }

  @Override
  public @Nullable T read() {
    if (!items.hasNext()) {
      return null;
    }
    T item = items.next();
    long read = position.get();
    position.lazySet(read + 1); // a plain store: no fence per item
    if (item == null) {
      throw new NullPointerException("the source's item #" + read + " is null");
    }
    return item;
  }

  @Override
  public long position() {
    return position.get();
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public void resumeAt(long skip) {
    long at = position.get();
    while (at < skip && items.hasNext()) {
      items.next();
      at++;
    }
    position.set(at);
  }

  @Override
  public void close() {
    if (onClose != null) {
      onClose.run();
    }
  }
}
