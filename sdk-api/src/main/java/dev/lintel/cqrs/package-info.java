/**
 * Typed commands and queries: a message carries its result type, so {@code send} and {@code ask}
 * return it without casts, and each message class has exactly one handler.
 */
@NullMarked
package dev.lintel.cqrs;

import org.jspecify.annotations.NullMarked;
