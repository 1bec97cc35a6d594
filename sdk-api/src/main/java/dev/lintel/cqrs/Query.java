package dev.lintel.cqrs;

/**
 * A request to read state without changing it, answered with a result of type {@code R}. Implement
 * it on an immutable type (a record is ideal); the query's class selects its handler.
 *
 * @param <R> the result its handler returns
 */
public interface Query<R> {}
