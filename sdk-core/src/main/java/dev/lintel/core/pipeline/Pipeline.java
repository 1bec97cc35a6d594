package dev.lintel.core.pipeline;

import dev.lintel.Lifecycle;
import dev.lintel.TimeSource;
import dev.lintel.eventsourcing.CheckpointStore;
import dev.lintel.health.Health;
import dev.lintel.health.HealthCheck;
import dev.lintel.pipeline.CheckpointedSink;
import dev.lintel.pipeline.ErrorPolicy;
import dev.lintel.pipeline.Overflow;
import dev.lintel.pipeline.PipelineException;
import dev.lintel.pipeline.PipelineProgress;
import dev.lintel.pipeline.PipelineState;
import dev.lintel.pipeline.ProgressListener;
import dev.lintel.pipeline.Source;
import dev.lintel.pipeline.StageProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded data pipeline: a source read by one thread, stages with bounded inputs and their own
 * workers, and a sink. Built with {@link #from(Source)} and a {@link Flow}; runs once.
 *
 * <ul>
 *   <li><b>Memory.</b> Every stage's input is bounded (256 items unless set); a full input blocks
 *       the stage before it, back to the source, so memory stays flat however slow the sink. With
 *       {@link Overflow#DROP} a stage drops and counts instead. Items in flight are at most the sum
 *       of the inputs, the workers and the reorder windows.
 *   <li><b>Accounting.</b> Every item read ends as processed, skipped, dead-lettered or dropped;
 *       when the pipeline has {@link PipelineState#COMPLETED}, {@code processed + skipped +
 *       deadLettered + dropped == read}. After a failure or cancellation the difference is the
 *       items abandoned in flight, which the checkpoint does not cover.
 *   <li><b>Errors.</b> Each stage applies its {@link ErrorPolicy} (fail by default). The first
 *       failure stops the pipeline: the source stops, workers are interrupted, {@link
 *       #awaitCompletion()} throws the {@link PipelineException}.
 *   <li><b>Checkpoints.</b> With {@link Builder#checkpoints(CheckpointStore)} the pipeline stores,
 *       every second and at the end, the source position below which every item is finished, and
 *       resumes there on the next run: at least once. A sink that commits the position in the same
 *       transaction as its effect gets exactly-once effects.
 *   <li><b>Progress and health.</b> Counts, rate, queue depths and ETA go to the log and the
 *       listener every 10 s; {@link #health()} is DEGRADED when a stage with waiting items made no
 *       progress for a minute.
 *   <li><b>Lifecycle.</b> It is a {@link Lifecycle} component: added to a runtime it starts with it
 *       and drains on graceful shutdown. {@link #close()} stops reading, lets items in flight
 *       finish and flushes partial batches, for at most the drain timeout (30 s), then cancels.
 * </ul>
 *
 * <p>Thread-safe: any thread may start, close, cancel and read progress.
 */
public final class Pipeline implements Lifecycle, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

  /** How often progress is logged and reported unless set. */
  public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(10);

  /** How long a stage with waiting items may make no progress before health is DEGRADED. */
  public static final Duration DEFAULT_STUCK_AFTER = Duration.ofMinutes(1);

  /** How long {@link #close()} lets items in flight finish before cancelling them. */
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

  /** How often the checkpoint is stored unless set. */
  public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

  private final String name;
  private final Source<?> source;
  private final List<StageSpec> specs;
  private final @Nullable Function<Object, String> keyOf;
  private final Duration stuckAfter;
  private final Duration drainTimeout;
  private final @Nullable CheckpointStore checkpoints;
  private final @Nullable CheckpointedSink<?> checkpointedSink;
  private final TimeSource time;
  private final Ledger ledger;
  private final StageCounters[] counters;
  private final @Nullable Stage[] stages;
  private final Monitor monitor;
  private final AtomicReference<PipelineState> state = new AtomicReference<>(PipelineState.CREATED);
  private final CompletableFuture<PipelineProgress> completion = new CompletableFuture<>();
  private final RunControl run;
  private volatile long startNanos;
  private volatile long endNanos = -1;
  private final long startPosition;

  private Pipeline(Builder builder, List<StageSpec> specs) {
    this.name = builder.name;
    this.source = builder.plan.source;
    this.specs = specs;
    this.keyOf = builder.plan.keyOf;
    this.stuckAfter = builder.stuckAfter;
    this.drainTimeout = builder.drainTimeout;
    this.checkpoints = builder.checkpoints;
    this.checkpointedSink = builder.plan.checkpointedSink;
    this.time = builder.time;
    this.startPosition = checkpoints != null ? Math.max(source.position(), 0) : source.position();
    this.ledger = new Ledger(checkpoints != null, startPosition);
    this.run = new RunControl(name, ledger, time, keyOf, this::terminated);
    this.counters = new StageCounters[specs.size()];
    long now = time.nanoTime();
    boolean oneThread = true; // the thread a map step runs on: the one before it
    for (int i = 0; i < counters.length; i++) {
      StageSpec spec = specs.get(i);
      if (spec.kind != StageSpec.Kind.MAP) {
        oneThread = spec.workers == 1; // the source and batch stages have one
      }
      counters[i] = new StageCounters(now, oneThread);
    }
    this.stages = new Stage[specs.size()];
    this.monitor =
        new Monitor(
            name,
            builder.progressInterval,
            builder.listener,
            this::progress,
            checkpoints,
            builder.checkpointInterval,
            ledger);
  }

  /**
   * Starts a pipeline reading from a source.
   *
   * @param source the source; the pipeline closes it when it stops reading
   * @param <T> the type of the source's items
   * @return the flow to add stages to
   */
  public static <T> Flow<T> from(Source<T> source) {
    return new Flow<>(new Plan(Objects.requireNonNull(source, "source")));
  }

  /**
   * Starts a pipeline reading an iterator; see {@link Sources#of(Iterator)}.
   *
   * @param items the items, read lazily from one thread
   * @param <T> the type of the items
   * @return the flow to add stages to
   */
  public static <T> Flow<T> from(Iterator<T> items) {
    return from(Sources.of(items));
  }

  /**
   * Starts a pipeline reading a collection or other iterable; see {@link Sources#of(Iterable)}.
   *
   * @param items the items
   * @param <T> the type of the items
   * @return the flow to add stages to
   */
  public static <T> Flow<T> from(Iterable<T> items) {
    return from(Sources.of(items));
  }

  /**
   * Starts a pipeline reading a stream, which it closes at the end; see {@link Sources#of(Stream)}.
   *
   * @param items the items, consumed lazily from one thread
   * @param <T> the type of the items
   * @return the flow to add stages to
   */
  public static <T> Flow<T> from(Stream<T> items) {
    return from(Sources.of(items));
  }

  /**
   * Names the pipeline, as a runtime component.
   *
   * @return {@code pipeline:<name>}
   */
  @Override
  public String name() {
    return "pipeline:" + name;
  }

  /**
   * Starts reading and processing on the pipeline's own threads and returns at once; resumes at the
   * stored checkpoint when there is one.
   *
   * @throws IllegalStateException if the pipeline was already started or closed
   */
  @Override
  public void start() {
    if (!state.compareAndSet(PipelineState.CREATED, PipelineState.RUNNING)) {
      throw new IllegalStateException(
          "pipeline '" + name + "' can be started once, but it is " + state.get());
    }
    startNanos = time.nanoTime();
    for (StageCounters stage : counters) {
      stage.restart(startNanos);
    }
    Emitter first = assemble();
    SourceLoop loop =
        new SourceLoop(run, source, specs.get(0), counters[0], first, this::resumePosition);
    run.register(new Thread(loop::runAndExit, "lintel-pipeline-" + name + "-source"));
    monitor.start();
    log.info(
        "Pipeline '{}' starting: {} stage(s), I/O stages on {} threads",
        name,
        specs.size(),
        WorkerThreads.virtualThreadsAvailable() ? "virtual" : "platform");
    run.startAll();
  }

  /**
   * Where the source resumes: the further of the stored checkpoint and the position a checkpointed
   * sink stored with its last effect; -1 for neither. Read by the source thread as it starts.
   */
  private long resumePosition() throws Exception {
    long resumeAt = checkpoints != null ? checkpoints.load(name) : -1;
    return checkpointedSink != null
        ? Math.max(resumeAt, checkpointedSink.storedPosition())
        : resumeAt;
  }

  /** Creates the stages from the sink backwards, each with the emitter to the one after it. */
  private Emitter assemble() {
    for (int i = specs.size() - 1; i > 0; i--) {
      StageSpec spec = specs.get(i);
      if (!spec.queued()) {
        continue;
      }
      Emitter next = spec.kind == StageSpec.Kind.SINK ? null : emitterAfter(i);
      Stage stage =
          spec.kind == StageSpec.Kind.BATCH
              ? new BatchStage(run, spec, counters[i], Objects.requireNonNull(next))
              : new WorkerStage(run, spec, counters[i], next);
      String prefix = "lintel-pipeline-" + name + "-" + spec.name;
      stage.createThreads(
          spec.kind == StageSpec.Kind.ASYNC
              ? WorkerThreads.io(prefix)
              : WorkerThreads.platform(prefix));
      stages[i] = stage;
    }
    return emitterAfter(0);
  }

  private Emitter emitterAfter(int index) {
    List<FusedStep> fused = new ArrayList<>();
    int next = index + 1;
    while (specs.get(next).kind == StageSpec.Kind.MAP) {
      fused.add(new FusedStep(run, specs.get(next), counters[next]));
      next++;
    }
    return new Emitter(fused.toArray(new FusedStep[0]), Objects.requireNonNull(stages[next]));
  }

  /**
   * Starts the pipeline and waits until it ends; see {@link #awaitCompletion()}.
   *
   * @return the final progress
   * @throws PipelineException if the pipeline failed
   * @throws IllegalStateException if it was already started
   */
  public PipelineProgress run() {
    start();
    return awaitCompletion();
  }

  /**
   * Waits until the source is exhausted and every item finished (or the pipeline failed or was
   * cancelled).
   *
   * @return the final progress; its state is {@link PipelineState#COMPLETED} or {@link
   *     PipelineState#CANCELLED}
   * @throws PipelineException if the pipeline failed
   * @throws dev.lintel.LintelException if the waiting thread is interrupted (its flag stays set)
   */
  public PipelineProgress awaitCompletion() {
    try {
      return completion.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new dev.lintel.LintelException("interrupted waiting for pipeline '" + name + "'", e);
    } catch (ExecutionException e) {
      throw failure(e);
    }
  }

  /**
   * Waits at most {@code timeout} for the pipeline to end.
   *
   * @param timeout the longest wait
   * @return the final progress, or null if it is still running
   * @throws PipelineException if the pipeline failed
   * @throws dev.lintel.LintelException if the waiting thread is interrupted (its flag stays set)
   */
  public @Nullable PipelineProgress awaitCompletion(Duration timeout) {
    try {
      return completion.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new dev.lintel.LintelException("interrupted waiting for pipeline '" + name + "'", e);
    } catch (ExecutionException e) {
      throw failure(e);
    }
  }

  /**
   * Gives the pipeline's end as a future: completed with the final progress, or exceptionally with
   * the {@link PipelineException} it failed with.
   *
   * @return a stage that completes when the pipeline ends
   */
  public CompletionStage<PipelineProgress> completion() {
    return completion.minimalCompletionStage();
  }

  /**
   * Stops gracefully: no more reading, items in flight finish, partial batches flush, the last
   * checkpoint is stored. Waits up to the drain timeout, then cancels what is left (logged with the
   * count). Idempotent; a pipeline never started is just marked cancelled.
   */
  @Override
  public void close() {
    close(drainTimeout);
  }

  /**
   * Stops gracefully as {@link #close()} does, waiting up to {@code timeout} instead of the drain
   * timeout before cancelling what is left.
   *
   * @param timeout how long items in flight may take to finish; zero cancels them at once
   * @throws IllegalArgumentException if the timeout is negative
   */
  public void close(Duration timeout) {
    Builder.notNegative("timeout", timeout);
    if (state.compareAndSet(PipelineState.CREATED, PipelineState.CANCELLED)) {
      completion.complete(progress());
      return;
    }
    if (state.compareAndSet(PipelineState.RUNNING, PipelineState.DRAINING)) {
      log.info("Pipeline '{}' draining: {} item(s) in flight", name, progress().inFlight());
      run.stopReading();
      source.stop();
    }
    if (await(timeout)) {
      return;
    }
    log.warn(
        "Pipeline '{}' did not drain within {} ms; cancelling {} item(s) in flight",
        name,
        timeout.toMillis(),
        progress().inFlight());
    run.cancel();
    if (!await(DEFAULT_DRAIN_TIMEOUT)) {
      log.error("Pipeline '{}': some workers ignore interruption and are still running", name);
    }
  }

  /** Stops as a runtime component: the same as {@link #close()}. */
  @Override
  public void stop() {
    close();
  }

  /**
   * Stops as a component of a runtime that is shutting down: drains as {@link #close()} does, but
   * no longer than the time left before the runtime's deadline.
   *
   * @param timeLeft what is left of the runtime's shutdown timeout
   */
  @Override
  public void stop(Duration timeLeft) {
    close(timeLeft.compareTo(drainTimeout) < 0 ? timeLeft : drainTimeout);
  }

  /**
   * Stops at once: interrupts the source and every worker; items in flight are abandoned and not
   * covered by the checkpoint, so a resumed pipeline reads them again. Returns without waiting.
   */
  public void cancel() {
    if (state.compareAndSet(PipelineState.CREATED, PipelineState.CANCELLED)) {
      completion.complete(progress());
      return;
    }
    run.cancel();
  }

  private boolean await(Duration timeout) {
    try {
      completion.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (ExecutionException e) {
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Called by the last thread to exit. */
  private void terminated() {
    endNanos = time.nanoTime();
    PipelineException failure = run.failure();
    PipelineState last =
        failure != null
            ? PipelineState.FAILED
            : run.cancelled() ? PipelineState.CANCELLED : PipelineState.COMPLETED;
    state.set(last);
    PipelineProgress progress = progress();
    monitor.stop(progress);
    if (failure != null) {
      log.error("Pipeline '{}' failed", name, failure);
      completion.completeExceptionally(failure);
    } else {
      completion.complete(progress);
    }
  }

  /**
   * Reads the counts without stopping the pipeline.
   *
   * @return the pipeline's progress now
   */
  public PipelineProgress progress() {
    long now = time.nanoTime();
    long end = endNanos >= 0 ? endNanos : now;
    long began = startNanos;
    Duration elapsed = began == 0 ? Duration.ZERO : Duration.ofNanos(Math.max(0, end - began));
    List<StageProgress> report = new ArrayList<>(specs.size());
    for (int i = 0; i < specs.size(); i++) {
      Stage stage = stages[i];
      StageSpec spec = specs.get(i);
      report.add(
          stage != null
              ? stage.snapshot(now)
              : counters[i].snapshot( // the source and map steps count each item they hold
                  spec.name, spec.kind == StageSpec.Kind.SOURCE ? 1 : 0, true, 0, 0, now));
    }
    long finished = ledger.finished();
    double seconds = elapsed.toNanos() / 1e9;
    double rate = seconds > 0 ? finished / seconds : 0;
    return new PipelineProgress(
        name,
        state.get(),
        ledger.read(),
        ledger.processed(),
        ledger.skipped(),
        ledger.deadLettered(),
        ledger.dropped(),
        elapsed,
        rate,
        eta(seconds),
        report);
  }

  private @Nullable Duration eta(double seconds) {
    long length = source.length();
    long position = source.position();
    if (length < 0 || position < 0 || seconds <= 0) {
      return null;
    }
    double done = position - Math.max(startPosition, 0);
    if (done <= 0) {
      return null;
    }
    double left = Math.max(0, length - position) * seconds / done;
    return Duration.ofNanos((long) (left * 1e9));
  }

  /**
   * Tells whether the pipeline works: DOWN once failed or cancelled, DEGRADED while a stage with
   * items waiting made no progress for the stuck-after time (the last such stage is named, as the
   * stages before it are usually just waiting for it), UP otherwise.
   *
   * @return the pipeline's health
   */
  public Health health() {
    PipelineProgress now = progress();
    switch (now.state()) {
      case FAILED:
        PipelineException failure = run.failure();
        return Health.down("failed: " + (failure != null ? failure.getMessage() : "unknown"));
      case CANCELLED:
        return Health.down("cancelled with " + now.inFlight() + " item(s) abandoned");
      case COMPLETED:
        return Health.up("completed: " + now.read() + " item(s) read");
      case CREATED:
        return Health.up("not started");
      default:
        break;
    }
    List<StageProgress> stageList = now.stages();
    for (int i = stageList.size() - 1; i >= 0; i--) {
      StageProgress stage = stageList.get(i);
      if (stage.hasWork() && stage.sinceProgress().compareTo(stuckAfter) >= 0) {
        return Health.degraded(
            "stage '"
                + stage.name()
                + "' made no progress for "
                + stage.sinceProgress().toSeconds()
                + " s with "
                + stage.queued()
                + " item(s) waiting and "
                + stage.busy()
                + " busy");
      }
    }
    return Health.up(now.state() + ": " + now.read() + " read, " + now.inFlight() + " in flight");
  }

  /**
   * Gives {@link #health()} as a check, to register with a health registry.
   *
   * @return the check
   */
  public HealthCheck healthCheck() {
    return this::health;
  }

  /**
   * Tells the pipeline's stage of life.
   *
   * @return the state
   */
  public PipelineState state() {
    return state.get();
  }

  private static RuntimeException failure(ExecutionException e) {
    Throwable cause = e.getCause();
    if (cause instanceof PipelineException pipelineException) {
      return pipelineException;
    }
    return new dev.lintel.LintelException("pipeline failed", cause);
  }

  /**
   * The settings of a pipeline whose stages are complete, and of its sink stage. Not thread-safe;
   * build once.
   */
  public static final class Builder {
    private final Plan plan;
    private final int sinkIndex;
    private String name = "pipeline";
    private Duration progressInterval = DEFAULT_PROGRESS_INTERVAL;
    private @Nullable ProgressListener listener;
    private Duration stuckAfter = DEFAULT_STUCK_AFTER;
    private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
    private @Nullable CheckpointStore checkpoints;
    private Duration checkpointInterval = DEFAULT_CHECKPOINT_INTERVAL;
    private TimeSource time = TimeSource.system();

    Builder(Plan plan, int sinkIndex) {
      this.plan = plan;
      this.sinkIndex = sinkIndex;
    }

    /**
     * Names the pipeline in logs, thread names, progress, health and as the checkpoint's key;
     * {@code pipeline} by default.
     *
     * @param name the name, not blank
     * @return this builder
     * @throws IllegalArgumentException if the name is blank
     */
    public Builder name(String name) {
      this.name = Flow.validName(name);
      return this;
    }

    /**
     * Names the sink stage; {@code sink} by default.
     *
     * @param stageName a name unique in the pipeline
     * @return this builder
     * @throws IllegalArgumentException if the name is blank
     */
    public Builder sinkNamed(String stageName) {
      StageSpec sink = plan.current(sinkIndex);
      sink.name = Flow.validName(stageName);
      sink.named = true;
      return this;
    }

    /**
     * Sets the sink stage's error policy; {@link ErrorPolicy#fail()} by default.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder onError(ErrorPolicy policy) {
      plan.current(sinkIndex).policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Sets the size of the sink stage's input; 256, or twice its workers if more, by default.
     *
     * @param capacity the most items waiting for the sink, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code capacity} is less than 1
     */
    public Builder sinkBuffer(int capacity) {
      Flow.positive("buffer capacity", capacity);
      plan.current(sinkIndex).capacity = capacity;
      return this;
    }

    /**
     * Sets how often progress is logged at INFO and given to the listener; 10 s by default, zero
     * for only the final report.
     *
     * @param interval the interval, zero or more
     * @return this builder
     * @throws IllegalArgumentException if the interval is negative
     */
    public Builder progressInterval(Duration interval) {
      this.progressInterval = notNegative("progressInterval", interval);
      return this;
    }

    /**
     * Receives progress at the progress interval and once at the end; none by default.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder progressListener(ProgressListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Sets how long a stage with items waiting may make no progress before {@link
     * Pipeline#health()} reports it; one minute by default.
     *
     * @param after the time, positive
     * @return this builder
     * @throws IllegalArgumentException if the time is not positive
     */
    public Builder stuckAfter(Duration after) {
      this.stuckAfter = positive("stuckAfter", after);
      return this;
    }

    /**
     * Sets how long {@link Pipeline#close()} lets items in flight finish; 30 s by default.
     *
     * @param timeout the time, zero or more
     * @return this builder
     * @throws IllegalArgumentException if the time is negative
     */
    public Builder drainTimeout(Duration timeout) {
      this.drainTimeout = notNegative("drainTimeout", timeout);
      return this;
    }

    /**
     * Stores the source position, under the pipeline's name, below which every item is finished,
     * and resumes there on start. The source must have a position.
     *
     * @param store the checkpoint store
     * @return this builder
     * @throws IllegalArgumentException if the source has no position
     */
    public Builder checkpoints(CheckpointStore store) {
      Objects.requireNonNull(store, "store");
      if (plan.source.position() < 0) {
        throw new IllegalArgumentException(
            "source " + plan.source.getClass().getName() + " has no position to checkpoint");
      }
      this.checkpoints = store;
      return this;
    }

    /**
     * Sets how often the checkpoint is stored; every second by default.
     *
     * @param interval the interval, positive
     * @return this builder
     * @throws IllegalArgumentException if the interval is not positive
     */
    public Builder checkpointInterval(Duration interval) {
      this.checkpointInterval = positive("checkpointInterval", interval);
      return this;
    }

    /**
     * Sets the time the progress rate, ETA and stuck-stage health read; the system's by default.
     * Batch waits and backoffs always use real time.
     *
     * @param timeSource the time source
     * @return this builder
     */
    public Builder timeSource(TimeSource timeSource) {
      this.time = Objects.requireNonNull(timeSource, "timeSource");
      return this;
    }

    /**
     * Builds the pipeline; call {@link Pipeline#start()} or {@link Pipeline#run()} next.
     *
     * @return the pipeline, not started
     * @throws IllegalArgumentException if two stages have the same name
     */
    public Pipeline build() {
      plan.current(sinkIndex);
      return new Pipeline(this, plan.freeze());
    }

    private static Duration notNegative(String what, Duration value) {
      Objects.requireNonNull(value, what);
      if (value.isNegative()) {
        throw new IllegalArgumentException(what + " must not be negative but was " + value);
      }
      return value;
    }

    private static Duration positive(String what, Duration value) {
      Objects.requireNonNull(value, what);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(what + " must be positive but was " + value);
      }
      return value;
    }
  }
}
