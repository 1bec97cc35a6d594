package com.example.gatewayplugins;

import dev.lintel.gateway.JwtAuthFilter;
import dev.lintel.health.Health;
import dev.lintel.plugin.Plugin;
import dev.lintel.plugin.PluginContext;
import dev.lintel.plugin.PluginDescriptor;
import java.util.Base64;

/**
 * Authenticates requests under {@code path-prefix} (default {@code /api/}) with HS256 JWTs.
 *
 * <p>Configuration: {@code hs256-secret-base64} (required: there is no default key, so the plugin
 * fails to start without one), {@code issuer} and {@code audience} (checked when set), {@code
 * path-prefix}. Its filter runs at order 100: after request logging, before rate limiting.
 */
public final class JwtAuthPlugin implements Plugin {
  /** The plugin's id. */
  public static final String ID = "jwt-auth";

  @Override
  public PluginDescriptor descriptor() {
    return PluginDescriptor.of(ID, "1.0.0", "HS256 JWT authentication for the gateway");
  }

  @Override
  public void start(PluginContext context) {
    Settings settings = new Settings(context);
    byte[] secret;
    try {
      secret =
          Base64.getDecoder()
              .decode(settings.required("hs256-secret-base64", "the HS256 key, base64, 32+ bytes"));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "Plugin '" + ID + "': 'hs256-secret-base64' is not valid base64", e);
    }
    JwtAuthFilter.Builder jwt = JwtAuthFilter.hs256(secret);
    String issuer = settings.text("issuer", "");
    if (!issuer.isEmpty()) {
      jwt.issuer(issuer);
    }
    String audience = settings.text("audience", "");
    if (!audience.isEmpty()) {
      jwt.audience(audience);
    }
    context.filter("jwt", 100, settings.underPrefix(jwt.build()));
    context.healthCheck(
        "config", () -> Health.up("HS256, issuer " + (issuer.isEmpty() ? "any" : issuer)));
  }
}
