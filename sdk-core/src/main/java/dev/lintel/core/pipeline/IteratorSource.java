package dev.lintel.core.pipeline;

import dev.lintel.pipeline.Source;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;

/** An iterator as a source; its position counts the items read. */
final class IteratorSource<T> implements Source<T> {
  private final Iterator<T> items;
  private final long length;
  private final @Nullable Runnable onClose;
  private volatile long position;

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
    position++;
    if (item == null) {
      throw new NullPointerException("the source's item #" + (position - 1) + " is null");
    }
    return item;
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public void resumeAt(long skip) {
    while (position < skip && items.hasNext()) {
      items.next();
      position++;
    }
  }

  @Override
  public void close() {
    if (onClose != null) {
      onClose.run();
    }
  }
}
