package dev.lintel.core.cqrs;

import dev.lintel.Registration;
import dev.lintel.core.internal.DispatchGate;
import dev.lintel.core.internal.Dispatcher;
import dev.lintel.cqrs.Command;
import dev.lintel.cqrs.CommandBus;
import dev.lintel.cqrs.CommandHandler;
import dev.lintel.cqrs.Interceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * The in-process {@link CommandBus}: dispatches on the caller's thread, or on an executor for
 * {@link #sendAsync}. Interceptors are fixed when the bus is built and composed with each handler
 * once, at registration, so dispatch allocates nothing of its own.
 *
 * <p>Shutting down works like an {@link java.util.concurrent.ExecutorService}: {@link #shutdown()}
 * refuses new commands with {@link dev.lintel.ShuttingDownException}, and {@link
 * #awaitTermination(Duration)} waits for those in flight. A {@link dev.lintel.core.Lintel} runtime
 * does both during graceful shutdown.
 */
public final class LocalCommandBus implements CommandBus {
  private final Dispatcher<Command<?>> dispatcher;

  private LocalCommandBus(Builder builder) {
    this.dispatcher =
        new Dispatcher<>(
            "command", builder.interceptors, builder.executor, new DispatchGate("Command bus"));
  }

  /**
   * Creates a bus without interceptors that runs asynchronous commands on the common fork-join
   * pool.
   *
   * @return a new bus
   */
  public static LocalCommandBus create() {
    return builder().build();
  }

  /**
   * Starts building a bus.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public <C extends Command<R>, R> Registration register(
      Class<C> commandType, CommandHandler<C, R> handler) {
    Objects.requireNonNull(handler, "handler");
    return dispatcher.register(commandType, handler::handle);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <R> R send(Command<R> command) {
    return (R) dispatcher.dispatch(command);
  }

  @Override
  public <R> CompletableFuture<R> sendAsync(Command<R> command) {
    return dispatcher.dispatchAsync(command);
  }

  /** Refuses new commands from now on; those in flight go on. Idempotent. */
  public void shutdown() {
    dispatcher.shutdown();
  }

  /**
   * Waits until the commands in flight when {@link #shutdown()} was called have finished.
   *
   * @param timeout how long to wait at most
   * @return true if none is in flight any more, false if the timeout passed first
   */
  public boolean awaitTermination(Duration timeout) {
    return dispatcher.awaitTermination(timeout);
  }

  /**
   * Counts the commands being handled right now, synchronous and asynchronous.
   *
   * @return the number in flight
   */
  public long inFlight() {
    return dispatcher.inFlight();
  }

  /** Builds a {@link LocalCommandBus}. Not thread-safe; build once, then share the bus. */
  public static final class Builder {
    private final List<Interceptor<? super Command<?>>> interceptors = new ArrayList<>();
    private Executor executor = ForkJoinPool.commonPool();
    private boolean executorSet;

    private Builder() {}

    /**
     * Adds an interceptor; the first added is the outermost.
     *
     * @param interceptor the interceptor
     * @return this builder
     */
    public Builder interceptor(Interceptor<? super Command<?>> interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /**
     * Sets the executor for {@link LocalCommandBus#sendAsync}; the common fork-join pool by
     * default, which suits handlers that do not block. The bus does not shut the executor down.
     *
     * @param executor the executor
     * @return this builder
     * @throws IllegalStateException if the executor was already set
     */
    public Builder executor(Executor executor) {
      if (executorSet) {
        throw new IllegalStateException("executor was already set to " + this.executor);
      }
      this.executor = Objects.requireNonNull(executor, "executor");
      this.executorSet = true;
      return this;
    }

    /**
     * Builds the bus.
     *
     * @return a new bus
     */
    public LocalCommandBus build() {
      return new LocalCommandBus(this);
    }
  }
}
