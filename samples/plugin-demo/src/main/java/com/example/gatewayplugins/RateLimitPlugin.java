package com.example.gatewayplugins;

import dev.lintel.core.gateway.RateLimitFilter;
import dev.lintel.health.Health;
import dev.lintel.plugin.Plugin;
import dev.lintel.plugin.PluginContext;
import dev.lintel.plugin.PluginDependency;
import dev.lintel.plugin.PluginDescriptor;

/**
 * Limits each principal (or, unauthenticated, each client address) under {@code path-prefix} to a
 * token bucket. Configuration: {@code capacity} (burst, default 20), {@code per-second} (refill,
 * default 10), {@code path-prefix}. Its filter runs at order 200, after authentication, so that
 * limits follow principals; it declares an optional dependency on {@code jwt-auth} so that it
 * starts after it when both are installed.
 */
public final class RateLimitPlugin implements Plugin {
  /** The plugin's id. */
  public static final String ID = "rate-limit";

  @Override
  public PluginDescriptor descriptor() {
    return PluginDescriptor.of(ID, "1.0.0", "Token-bucket rate limit per principal")
        .dependsOn(PluginDependency.optional(JwtAuthPlugin.ID, "^1.0.0"));
  }

  @Override
  public void start(PluginContext context) {
    Settings settings = new Settings(context);
    long capacity = settings.positiveLong("capacity", 20);
    long perSecond = settings.positiveLong("per-second", 10);
    context.filter(
        "token-bucket",
        200,
        settings.underPrefix(RateLimitFilter.perPrincipal(capacity, perSecond)));
    context.healthCheck(
        "config", () -> Health.up("burst " + capacity + ", " + perSecond + " per second"));
  }
}
