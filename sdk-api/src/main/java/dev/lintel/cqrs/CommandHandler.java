package dev.lintel.cqrs;

/**
 * Handles one type of command. A handler is called from many threads at once and must be
 * thread-safe; an unchecked exception it throws reaches the sender unchanged.
 *
 * @param <C> the command type it handles
 * @param <R> the result it returns
 */
@FunctionalInterface
public interface CommandHandler<C extends Command<R>, R> {

  /**
   * Handles the command.
   *
   * @param command the command, never null
   * @return the result; null only for {@code Command<Void>}
   */
  R handle(C command);
}
