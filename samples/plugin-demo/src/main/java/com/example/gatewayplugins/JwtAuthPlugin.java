package com.example.gatewayplugins;

import dev.lintel.core.gateway.JwtAuthFilter;
import dev.lintel.health.Health;
import dev.lintel.plugin.Plugin;
import dev.lintel.plugin.PluginContext;
import dev.lintel.plugin.PluginDescriptor;
import java.util.Base64;

/**
 * Authenticates requests under {@code path-prefix} (default {@code /api/}) with HS256 JWTs.
 *
 * <p>Configuration: {@code hs256-secret-base64}, {@code issuer} and {@code audience} are required
 * (there is no default key, and no token is accepted without its issuer and audience checked, so
 * the plugin fails to start without them); {@code path-prefix} is optional. Its filter runs at
 * order 100: after request logging, before rate limiting.
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
    String issuer = settings.required("issuer", "the token issuer to accept");
    String audience = settings.required("audience", "the audience tokens must name");
    JwtAuthFilter jwt = JwtAuthFilter.hs256(secret).issuer(issuer).audience(audience).build();
    context.filter("jwt", 100, settings.underPrefix(jwt));
    context.healthCheck(
        "config", () -> Health.up("HS256, issuer " + issuer + ", audience " + audience));
  }
}
