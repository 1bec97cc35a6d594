package dev.lintel.plugin;

import dev.lintel.LintelException;
import java.io.Serial;
import org.jspecify.annotations.Nullable;

/** A plugin problem: it could not be loaded, resolved or started. Names the plugin. */
public class PluginException extends LintelException {
  @Serial private static final long serialVersionUID = 1L;

  private final String pluginId;

  /**
   * Creates the exception.
   *
   * @param pluginId the plugin concerned
   * @param message what went wrong, naming the plugin and the others involved
   * @param cause the underlying failure, if any
   */
  public PluginException(String pluginId, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.pluginId = pluginId;
  }

  /**
   * Names the plugin concerned.
   *
   * @return its id
   */
  public String pluginId() {
    return pluginId;
  }
}
