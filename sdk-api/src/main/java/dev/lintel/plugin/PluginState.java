package dev.lintel.plugin;

/** Where a plugin is in its life. */
public enum PluginState {
  /** Found, not yet checked against the others. */
  CREATED,
  /** Its dependencies are present in acceptable versions; waiting to start. */
  RESOLVED,
  /** Started; its extensions are registered. */
  STARTED,
  /** Failed to resolve or start, or a dependency did; see its failure. */
  FAILED,
  /** Stopped; its extensions are unregistered. */
  STOPPED
}
