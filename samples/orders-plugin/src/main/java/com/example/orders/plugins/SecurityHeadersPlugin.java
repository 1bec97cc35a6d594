package com.example.orders.plugins;

import dev.lintel.core.gateway.Transform;
import dev.lintel.gateway.Response;
import dev.lintel.plugin.Plugin;
import dev.lintel.plugin.PluginContext;
import dev.lintel.plugin.PluginDescriptor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adds the browser security headers to every response the host's pipeline writes: no MIME sniffing,
 * no framing, no referrer, and a content security policy that lets a page load scripts and call
 * APIs only from its own origin. Headers a handler set itself are kept.
 *
 * <p>Configuration: {@code content-security-policy} (default {@value #DEFAULT_CSP}). Its filter
 * runs at order 10, outermost but for request logging, so refused requests get the headers too.
 */
public final class SecurityHeadersPlugin implements Plugin {
  /** The plugin's id. */
  public static final String ID = "security-headers";

  /** The policy unless configured. */
  public static final String DEFAULT_CSP = "default-src 'self'; frame-ancestors 'none'";

  @Override
  public PluginDescriptor descriptor() {
    return PluginDescriptor.of(ID, "1.0.0", "Security headers on every response");
  }

  @Override
  public void start(PluginContext context) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("X-Frame-Options", "DENY");
    headers.put("Referrer-Policy", "no-referrer");
    headers.put(
        "Content-Security-Policy",
        context.config().getOrDefault("content-security-policy", DEFAULT_CSP));
    context.filter(
        "security-headers", 10, Transform.response((request, response) -> with(response, headers)));
  }

  private static Response with(Response response, Map<String, String> headers) {
    Response result = response;
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (result.header(header.getKey()) == null) {
        result = result.withHeader(header.getKey(), header.getValue());
      }
    }
    return result;
  }
}
