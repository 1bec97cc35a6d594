package dev.lintel.core.internal;

import dev.lintel.Registration;
import dev.lintel.cqrs.DuplicateHandlerException;
import dev.lintel.cqrs.Interceptor;
import dev.lintel.cqrs.Interceptor.Chain;
import dev.lintel.cqrs.NoHandlerException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Routes messages of one kind (commands or queries) by their exact class to one handler each,
 * through an interceptor chain composed once per handler at registration. The dispatch path does a
 * map lookup, the gate's handshake and the chain's calls: it allocates nothing.
 *
 * @param <M> the message kind, {@code Command<?>} or {@code Query<?>}
 */
public final class Dispatcher<M> {
  private final String kind;
  private final List<Interceptor<? super M>> interceptors;
  private final Executor executor;
  private final DispatchGate gate;
  private final ConcurrentHashMap<Class<?>, Chain<M>> routes = new ConcurrentHashMap<>();

  /**
   * Creates a dispatcher.
   *
   * @param kind "command" or "query", for messages and errors
   * @param interceptors the interceptors, outermost first
   * @param executor runs asynchronous dispatches
   * @param gate admits dispatches until shutdown
   */
  public Dispatcher(
      String kind,
      List<Interceptor<? super M>> interceptors,
      Executor executor,
      DispatchGate gate) {
    this.kind = kind;
    this.interceptors = List.copyOf(interceptors);
    this.executor = Objects.requireNonNull(executor, "executor");
    this.gate = gate;
  }

  /**
   * Registers the handler for one message class.
   *
   * @param type the exact message class
   * @param handler the handler
   * @param <T> the message type
   * @return a registration removing this handler
   * @throws DuplicateHandlerException if the class already has a handler
   */
  public <T extends M> Registration register(Class<T> type, Function<T, ?> handler) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(handler, "handler");
    Chain<M> chain = compose(type, handler);
    if (routes.putIfAbsent(type, chain) != null) {
      throw new DuplicateHandlerException(
          type.getName(),
          "A " + kind + " handler for " + type.getName() + " is already registered");
    }
    return () -> routes.remove(type, chain);
  }

  /**
   * Dispatches on the calling thread.
   *
   * @param message the message
   * @return the handler's or an interceptor's result
   */
  public @Nullable Object dispatch(M message) {
    Chain<M> chain = route(message);
    gate.enter(message);
    try {
      return chain.proceed(message);
    } finally {
      gate.leave();
    }
  }

  /**
   * Dispatches on the executor; every failure completes the future, none is thrown.
   *
   * @param message the message
   * @param <R> the result type
   * @return a future of the result
   */
  @SuppressWarnings("unchecked")
  public <R> CompletableFuture<R> dispatchAsync(M message) {
    CompletableFuture<R> result = new CompletableFuture<>();
    Chain<M> chain;
    try {
      chain = route(message);
      gate.enterHandedOff(message);
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
      return result;
    }
    try {
      executor.execute(
          () -> {
            try {
              result.complete((R) chain.proceed(message));
            } catch (Throwable e) {
              result.completeExceptionally(e);
            } finally {
              gate.leaveHandedOff();
            }
          });
    } catch (RuntimeException rejected) {
      gate.leaveHandedOff();
      result.completeExceptionally(rejected);
    }
    return result;
  }

  /** Refuses new dispatches; those in flight go on. */
  public void shutdown() {
    gate.close();
  }

  /**
   * Waits for dispatches in flight after {@link #shutdown()}.
   *
   * @param timeout how long to wait at most
   * @return true if none is left in flight
   */
  public boolean awaitTermination(Duration timeout) {
    return gate.awaitDrained(timeout);
  }

  /**
   * Counts dispatches in progress.
   *
   * @return dispatches admitted and not yet finished
   */
  public long inFlight() {
    return gate.inFlight();
  }

  private Chain<M> route(M message) {
    Objects.requireNonNull(message, kind);
    Chain<M> chain = routes.get(message.getClass());
    if (chain == null) {
      throw noHandler(message.getClass());
    }
    return chain;
  }

  @SuppressWarnings("unchecked")
  private <T extends M> Chain<M> compose(Class<T> type, Function<T, ?> handler) {
    Chain<M> chain = message -> handler.apply((T) message);
    for (int i = interceptors.size() - 1; i >= 0; i--) {
      // An interceptor of a supertype of M handles every M; viewing it as Interceptor<M> lets the
      // chain be passed on as it is instead of adapting it on every call.
      Interceptor<M> interceptor = (Interceptor<M>) interceptors.get(i);
      Chain<M> next = chain;
      chain = message -> interceptor.intercept(message, next);
    }
    return chain;
  }

  private NoHandlerException noHandler(Class<?> type) {
    String registered =
        routes.keySet().stream().map(Class::getName).sorted().collect(Collectors.joining(", "));
    return new NoHandlerException(
        type.getName(),
        "No "
            + kind
            + " handler is registered for "
            + type.getName()
            + "; registered "
            + kind
            + " types: ["
            + registered
            + "]");
  }
}
