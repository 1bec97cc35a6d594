package dev.lintel.moduletests;

import dev.lintel.cqrs.Query;

/**
 * Asks the greeting plugin to greet someone.
 *
 * @param name whom to greet
 */
public record Greet(String name) implements Query<String> {}
