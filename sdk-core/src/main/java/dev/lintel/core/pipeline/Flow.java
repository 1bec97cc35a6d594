package dev.lintel.core.pipeline;

import dev.lintel.pipeline.CheckpointedSink;
import dev.lintel.pipeline.ErrorPolicy;
import dev.lintel.pipeline.Overflow;
import dev.lintel.pipeline.Sink;
import dev.lintel.pipeline.Step;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A pipeline under construction whose items are of type {@code T}: add a stage with {@link #map},
 * {@link #mapAsync}, {@link #parallel} or {@link #batch}, end it with {@link #to(Sink)} (or {@link
 * #to(CheckpointedSink)} for exactly-once effects). The other methods set how the stage added last
 * behaves: its name, its input's size and overflow, its order and its error policy.
 *
 * <pre>{@code
 * Pipeline pipeline = Pipeline.from(JsonLinesSource.of(file, Order.class))
 *     .keyedBy(Order::id)
 *     .mapAsync(100, orders::enrich).onError(ErrorPolicy.retry(3, Duration.ofMillis(50)))
 *     .parallel(orders::price)
 *     .batch(100, Duration.ofMillis(200))
 *     .to(repository::saveAll)
 *     .name("orders-import")
 *     .build();
 * }</pre>
 *
 * <p>Each call returns the flow to chain on; a flow that was extended refuses further calls. Bad
 * settings are refused at once with an exception naming the stage and the value. Not thread-safe.
 *
 * @param <T> the type of the items at this point of the pipeline
 */
public final class Flow<T> {
  private static final Set<StageSpec.Kind> QUEUED =
      EnumSet.of(StageSpec.Kind.ASYNC, StageSpec.Kind.PARALLEL, StageSpec.Kind.BATCH);
  private static final Set<StageSpec.Kind> FALLIBLE =
      EnumSet.of(
          StageSpec.Kind.SOURCE, StageSpec.Kind.MAP, StageSpec.Kind.ASYNC, StageSpec.Kind.PARALLEL);

  /** The reorder window of {@link #ordered()} per worker of the stage. */
  public static final int DEFAULT_WINDOW_PER_WORKER = 2;

  /** The smallest reorder window {@link #ordered()} chooses. */
  public static final int MIN_DEFAULT_WINDOW = 16;

  private final Plan plan;
  private final int index;

  Flow(Plan plan) {
    this.plan = plan;
    this.index = plan.specs.size() - 1;
  }

  /**
   * Adds a step that runs on the thread of the stage before it (the source, or the previous stage's
   * worker) as it hands an item on: no input of its own, no hand-off, order kept. For cheap work
   * (validation, parsing, projection); give expensive work its own stage with {@link #parallel}.
   *
   * @param step the function; must not return null
   * @param <R> the output type
   * @return the flow of the step's results
   */
  public <R> Flow<R> map(Step<? super T, ? extends R> step) {
    return add(StageSpec.step(StageSpec.Kind.MAP, 0, erase(step)));
  }

  /**
   * Adds an I/O stage: up to {@code concurrency} items at once, each on its own thread (virtual
   * threads on a JDK that has them, platform threads on 17) waiting for the step. Unordered unless
   * {@link #ordered()} follows. Its input holds 256 items, or twice the concurrency if more.
   *
   * @param concurrency how many items may be in the step at once, at least 1
   * @param step the blocking function, thread-safe; must not return null
   * @param <R> the output type
   * @return the flow of the step's results
   * @throws IllegalArgumentException if {@code concurrency} is less than 1
   */
  public <R> Flow<R> mapAsync(int concurrency, Step<? super T, ? extends R> step) {
    positive("concurrency", concurrency);
    return add(StageSpec.step(StageSpec.Kind.ASYNC, concurrency, erase(step)));
  }

  /**
   * Adds a CPU stage on a pool of one worker per available processor. Unordered unless {@link
   * #ordered()} follows.
   *
   * @param step the function, thread-safe; must not return null
   * @param <R> the output type
   * @return the flow of the step's results
   */
  public <R> Flow<R> parallel(Step<? super T, ? extends R> step) {
    return parallel(Runtime.getRuntime().availableProcessors(), step);
  }

  /**
   * Adds a CPU stage on a pool of {@code workers} platform threads. Unordered unless {@link
   * #ordered()} follows. Its input holds 256 items, or twice the workers if more.
   *
   * @param workers the threads, at least 1
   * @param step the function, thread-safe; must not return null
   * @param <R> the output type
   * @return the flow of the step's results
   * @throws IllegalArgumentException if {@code workers} is less than 1
   */
  public <R> Flow<R> parallel(int workers, Step<? super T, ? extends R> step) {
    positive("workers", workers);
    return add(StageSpec.step(StageSpec.Kind.PARALLEL, workers, erase(step)));
  }

  /**
   * Adds a stage that groups items into lists of {@code size}, in arrival order. A partial list is
   * handed on once its first item has waited {@code maxWait}, and when the input ends (also on a
   * graceful close). Its input holds 256 items.
   *
   * <p>When this is the first stage after the source and its {@code map} steps, and the source
   * never waits for its next item (a collection, a sized stream, a JSON-lines file), the source
   * thread fills the lists itself, with no hand-off per item; it then reads the clock as it adds
   * items (after 1, 2, 4 ... items, then every 64), so a list filled slowly, by a slow {@code map}
   * step, is handed on within about twice {@code maxWait}.
   *
   * @param size the largest list, at least 1
   * @param maxWait how long the first item of a list waits for the list to fill, positive
   * @return the flow of lists
   * @throws IllegalArgumentException if the size is less than 1 or the wait not positive
   */
  public Flow<List<T>> batch(int size, Duration maxWait) {
    positive("batch size", size);
    Objects.requireNonNull(maxWait, "maxWait");
    if (maxWait.isNegative() || maxWait.isZero()) {
      throw new IllegalArgumentException("batch maxWait must be positive but was " + maxWait);
    }
    return add(StageSpec.batch(size, maxWait));
  }

  /**
   * Ends the pipeline in a sink called by one worker, so it sees one item at a time.
   *
   * @param sink the sink
   * @return the builder of the pipeline's settings
   */
  public Pipeline.Builder to(Sink<? super T> sink) {
    return to(1, sink);
  }

  /**
   * Ends the pipeline in a sink called by {@code workers} platform threads at once.
   *
   * @param workers the threads, at least 1
   * @param sink the sink, thread-safe when {@code workers > 1}
   * @return the builder of the pipeline's settings
   * @throws IllegalArgumentException if {@code workers} is less than 1
   */
  public Pipeline.Builder to(int workers, Sink<? super T> sink) {
    positive("sink workers", workers);
    Objects.requireNonNull(sink, "sink");
    plan.current(index);
    plan.specs.add(StageSpec.sink(workers, (item, position) -> sink.accept(Flow.<T>cast(item))));
    return new Pipeline.Builder(plan, plan.specs.size() - 1);
  }

  /**
   * Ends the pipeline in a sink that stores the source position in the same transaction as each
   * effect, for exactly-once effects across restarts; see {@link CheckpointedSink}. It is called by
   * one worker, with items in source order, and the pipeline resumes at the position it stored.
   *
   * @param sink the sink
   * @return the builder of the pipeline's settings
   * @throws IllegalStateException if a {@code mapAsync} or {@code parallel} stage before it is not
   *     {@link #ordered()} (with more than one worker), or the source has no position
   */
  public Pipeline.Builder to(CheckpointedSink<? super T> sink) {
    Objects.requireNonNull(sink, "sink");
    if (plan.source.position() < 0) {
      throw new IllegalStateException(
          "a checkpointed sink needs a source with a position, but "
              + plan.source.getClass().getName()
              + " has none");
    }
    for (StageSpec spec : plan.specs) {
      boolean unordered =
          (spec.kind == StageSpec.Kind.ASYNC || spec.kind == StageSpec.Kind.PARALLEL)
              && spec.workers > 1
              && spec.window == 0;
      if (unordered) {
        throw new IllegalStateException(
            "a checkpointed sink needs the items in source order, but "
                + spec
                + " is unordered; add ordered() after it");
      }
    }
    plan.current(index);
    plan.checkpointedSink = sink;
    plan.specs.add(StageSpec.sink(1, (item, position) -> sink.accept(cast(item), position)));
    return new Pipeline.Builder(plan, plan.specs.size() - 1);
  }

  /**
   * Names items in logs and dead letters by a key of the source item (an id) instead of their read
   * number {@code #n}. Must directly follow {@code Pipeline.from}.
   *
   * @param key the key function; a key function that throws is reported in the key
   * @return this flow
   * @throws IllegalStateException if a stage was already added
   */
  public Flow<T> keyedBy(Function<? super T, ?> key) {
    Objects.requireNonNull(key, "key");
    StageSpec spec = plan.current(index);
    if (spec.kind != StageSpec.Kind.SOURCE) {
      throw new IllegalStateException("keyedBy must directly follow Pipeline.from, not " + spec);
    }
    plan.keyOf = item -> String.valueOf(key.apply(Flow.<T>cast(item)));
    return this;
  }

  /**
   * Names the stage added last, in progress reports, logs, dead letters and errors. By default a
   * stage is named after its kind ({@code map}, {@code mapAsync}, ...), numbered when repeated.
   *
   * @param name a name unique in the pipeline
   * @return this flow
   * @throws IllegalArgumentException if the name is blank
   */
  public Flow<T> named(String name) {
    StageSpec spec = plan.current(index);
    spec.name = validName(name);
    spec.named = true;
    return this;
  }

  /**
   * Sets the size of the input of the stage added last.
   *
   * @param capacity the most items waiting for the stage, at least 1
   * @return this flow
   * @throws IllegalArgumentException if {@code capacity} is less than 1
   * @throws IllegalStateException if the stage has no input of its own (the source, a map step)
   */
  public Flow<T> buffer(int capacity) {
    positive("buffer capacity", capacity);
    kindIn(QUEUED, "has no input of its own; buffer applies to mapAsync, parallel and batch")
            .capacity =
        capacity;
    return this;
  }

  /**
   * Sets what the stage added last does when an item arrives and its input is full: {@link
   * Overflow#BLOCK} (backpressure, the default) or {@link Overflow#DROP} (count and drop it).
   *
   * @param overflow the policy
   * @return this flow
   * @throws IllegalStateException if the stage has no input of its own (the source, a map step)
   */
  public Flow<T> overflow(Overflow overflow) {
    Objects.requireNonNull(overflow, "overflow");
    kindIn(QUEUED, "has no input of its own; overflow applies to mapAsync, parallel and batch")
            .overflow =
        overflow;
    return this;
  }

  /**
   * Keeps the input order through the stage added last, with a reorder window of twice its workers
   * (at least 16): a worker waits before starting an item that is that far ahead of the oldest one
   * not yet handed on.
   *
   * @return this flow
   * @throws IllegalStateException if the stage is not a mapAsync or parallel stage
   */
  public Flow<T> ordered() {
    StageSpec spec = reorderable();
    spec.window = Math.max(MIN_DEFAULT_WINDOW, DEFAULT_WINDOW_PER_WORKER * spec.workers);
    return this;
  }

  /**
   * Keeps the input order through the stage added last, with a reorder window of {@code window}
   * items: at most that many items are between the oldest not yet handed on and the newest started.
   *
   * @param window the window, at least 1 (1 makes the stage sequential)
   * @return this flow
   * @throws IllegalArgumentException if {@code window} is less than 1
   * @throws IllegalStateException if the stage is not a mapAsync or parallel stage
   */
  public Flow<T> ordered(int window) {
    positive("reorder window", window);
    reorderable().window = window;
    return this;
  }

  /**
   * Sets the error policy of the stage added last; {@link ErrorPolicy#fail()} by default. After
   * {@code Pipeline.from} it applies to items the source reports {@linkplain
   * dev.lintel.pipeline.InvalidItemException invalid}.
   *
   * @param policy the policy
   * @return this flow
   * @throws IllegalStateException if the stage cannot fail (a batch stage)
   */
  public Flow<T> onError(ErrorPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    kindIn(FALLIBLE, "cannot fail; onError applies to the source, map, mapAsync and parallel")
            .policy =
        policy;
    return this;
  }

  private <R> Flow<R> add(StageSpec spec) {
    plan.current(index);
    plan.specs.add(spec);
    return new Flow<>(plan);
  }

  private StageSpec reorderable() {
    return kindIn(
        EnumSet.of(StageSpec.Kind.ASYNC, StageSpec.Kind.PARALLEL),
        "keeps its order anyway or has no workers; ordered applies to mapAsync and parallel");
  }

  private StageSpec kindIn(Set<StageSpec.Kind> kinds, String otherwise) {
    StageSpec spec = plan.current(index);
    if (!kinds.contains(spec.kind)) {
      throw new IllegalStateException(spec + " " + otherwise);
    }
    return spec;
  }

  static String validName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a name must not be blank but was '" + name + "'");
    }
    return name;
  }

  static void positive(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be at least 1 but was " + value);
    }
  }

  private static <I, O> Step<Object, Object> erase(Step<? super I, ? extends O> step) {
    Objects.requireNonNull(step, "step");
    return item -> step.apply(Flow.<I>cast(item));
  }

  /**
   * The one unchecked cast: items travel between stages as {@code Object}, and the chain of typed
   * flows guarantees each step receives the type the previous one produced.
   */
  @SuppressWarnings("unchecked")
  private static <X> X cast(Object item) {
    return (X) item;
  }
}
