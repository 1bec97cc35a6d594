package dev.lintel.core.pipeline;

import org.jspecify.annotations.Nullable;

/** Checks what a user's step returned. */
final class Results {
  private Results() {}

  static Object notNull(@Nullable Object result, StageSpec spec) {
    if (result == null) {
      throw new NullPointerException(spec + " returned null; a step must return an item");
    }
    return result;
  }
}
