package dev.lintel.core.plugin;

import dev.lintel.cqrs.Query;

/**
 * Messages shared by the host and the test plugins; as {@code dev.lintel.*} types, jars see them.
 */
public final class PluginMessages {
  private PluginMessages() {}

  /** Asks a plugin for a greeting. */
  public record Greet(String name) implements Query<String> {}

  /** Asks a plugin to shout. */
  public record Shout(String name) implements Query<String> {}
}
