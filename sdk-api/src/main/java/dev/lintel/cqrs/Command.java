package dev.lintel.cqrs;

/**
 * A request to change state, answered with a result of type {@code R}. Implement it on an immutable
 * type (a record is ideal); the command's class selects its handler.
 *
 * @param <R> the result its handler returns; {@link Void} for none
 */
public interface Command<R> {}
