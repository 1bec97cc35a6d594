package com.example.gatewayplugins;

import dev.lintel.core.gateway.RequestLogFilter;
import dev.lintel.plugin.Plugin;
import dev.lintel.plugin.PluginContext;
import dev.lintel.plugin.PluginDescriptor;

/**
 * Logs every request (method, path, status, duration, principal, request id) and gives it an {@code
 * X-Request-Id}. Its filter runs at order 0, outermost, so refused requests are logged too.
 * Configuration: {@code logger} (default {@code dev.lintel.gateway.access}).
 */
public final class RequestLogPlugin implements Plugin {
  /** The plugin's id. */
  public static final String ID = "request-log";

  @Override
  public PluginDescriptor descriptor() {
    return PluginDescriptor.of(ID, "1.0.0", "Access log and request ids");
  }

  @Override
  public void start(PluginContext context) {
    String logger = new Settings(context).text("logger", "dev.lintel.gateway.access");
    context.filter("access-log", 0, RequestLogFilter.to(logger));
  }
}
