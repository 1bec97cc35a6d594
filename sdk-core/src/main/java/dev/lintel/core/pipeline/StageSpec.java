package dev.lintel.core.pipeline;

import dev.lintel.pipeline.ErrorPolicy;
import dev.lintel.pipeline.Overflow;
import dev.lintel.pipeline.Step;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The configuration of one stage while a pipeline is being built; frozen by the build. */
final class StageSpec {
  /** Input size of a stage unless set: 256, or twice its workers when that is more. */
  static final int DEFAULT_CAPACITY = 256;

  enum Kind {
    SOURCE("source"),
    MAP("map"),
    ASYNC("mapAsync"),
    PARALLEL("parallel"),
    BATCH("batch"),
    SINK("sink");

    final String defaultName;

    Kind(String defaultName) {
      this.defaultName = defaultName;
    }
  }

  /** How a sink stage calls the sink: with the item and the source position just after it. */
  @FunctionalInterface
  interface SinkCall {
    void accept(Object item, long position) throws Exception;
  }

  final Kind kind;
  String name;
  final int workers;
  int capacity;
  Overflow overflow = Overflow.BLOCK;
  int window;
  ErrorPolicy policy = ErrorPolicy.fail();
  final @Nullable Step<Object, Object> step;
  final @Nullable SinkCall sink;
  final int batchSize;
  final Duration maxWait;
  boolean named;

  private StageSpec(
      Kind kind,
      int workers,
      @Nullable Step<Object, Object> step,
      @Nullable SinkCall sink,
      int batchSize,
      Duration maxWait) {
    this.kind = kind;
    this.name = kind.defaultName;
    this.workers = workers;
    this.capacity = kind == Kind.SOURCE || kind == Kind.MAP ? 0 : defaultCapacity(workers);
    this.step = step;
    this.sink = sink;
    this.batchSize = batchSize;
    this.maxWait = maxWait;
  }

  static int defaultCapacity(int workers) {
    return Math.max(DEFAULT_CAPACITY, 2 * workers);
  }

  static StageSpec source() {
    return new StageSpec(Kind.SOURCE, 1, null, null, 0, Duration.ZERO);
  }

  static StageSpec step(Kind kind, int workers, Step<Object, Object> step) {
    return new StageSpec(kind, workers, step, null, 0, Duration.ZERO);
  }

  static StageSpec batch(int size, Duration maxWait) {
    return new StageSpec(Kind.BATCH, 1, null, null, size, maxWait);
  }

  static StageSpec sink(int workers, SinkCall sink) {
    return new StageSpec(Kind.SINK, workers, null, sink, 0, Duration.ZERO);
  }

  boolean queued() {
    return kind != Kind.SOURCE && kind != Kind.MAP;
  }

  @Override
  public String toString() {
    return "stage '" + name + "' (" + kind.defaultName + ")";
  }
}
