package dev.lintel.cqrs;

import dev.lintel.Registration;
import java.util.concurrent.CompletableFuture;

/**
 * Dispatches each command to the one handler registered for its exact class.
 *
 * <p>Thread-safe: handlers may be registered and commands sent from any number of threads. The
 * synchronous {@link #send} runs the handler on the caller's thread and blocks until it returns;
 * {@link #sendAsync} runs it on the bus's executor.
 */
public interface CommandBus {

  /**
   * Registers the handler for one command class.
   *
   * @param commandType the exact class of the commands to handle
   * @param handler the handler
   * @param <C> the command type
   * @param <R> its result type
   * @return a registration that removes the handler when closed
   * @throws DuplicateHandlerException if a handler for that class is already registered
   */
  <C extends Command<R>, R> Registration register(
      Class<C> commandType, CommandHandler<C, R> handler);

  /**
   * Sends a command and waits for its result.
   *
   * @param command the command
   * @param <R> its result type
   * @return what the handler returned
   * @throws NoHandlerException if no handler is registered for the command's class
   * @throws dev.lintel.ShuttingDownException if the bus has begun to shut down; the handler did not
   *     run
   * @throws RuntimeException whatever the handler or an interceptor threw, unchanged
   */
  <R> R send(Command<R> command);

  /**
   * Sends a command to be handled on the bus's executor. Failures never throw from this method: the
   * future completes exceptionally with the original exception, a {@link NoHandlerException} or a
   * {@link dev.lintel.ShuttingDownException}.
   *
   * @param command the command
   * @param <R> its result type
   * @return a future completed with the handler's result
   */
  <R> CompletableFuture<R> sendAsync(Command<R> command);
}
