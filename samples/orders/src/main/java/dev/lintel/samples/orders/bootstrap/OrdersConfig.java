package dev.lintel.samples.orders.bootstrap;

import java.net.URI;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How the service runs. Each setting comes from a command-line option ({@code --port=8081}), else
 * an environment variable ({@code ORDERS_PORT}), else its embedded default:
 *
 * <table>
 *   <caption>settings</caption>
 *   <tr><th>option</th><th>variable</th><th>default</th></tr>
 *   <tr><td>{@code --port}</td><td>{@code ORDERS_PORT}</td><td>8080, or any free port for the
 *       demo (0: any free port)</td></tr>
 *   <tr><td>{@code --data}</td><td>{@code ORDERS_DATA}</td><td>{@code target/orders-data}: the H2
 *       files</td></tr>
 *   <tr><td>{@code --plugins}</td><td>{@code ORDERS_PLUGINS}</td><td>{@code target/plugins}: the
 *       plugin jars (the build copies the {@code security-headers} plugin there)</td></tr>
 *   <tr><td>{@code --db-url}</td><td>{@code ORDERS_DB_URL}</td><td>H2: events, read model, e-mail
 *       lookup; a {@code jdbc:postgresql:} URL for PostgreSQL</td></tr>
 *   <tr><td>{@code --shard-urls}</td><td>{@code ORDERS_SHARD_URLS}</td><td>two H2 files: the
 *       customer shards, comma-separated</td></tr>
 *   <tr><td>{@code --db-user}, {@code --db-password}</td><td>{@code ORDERS_DB_USER}, {@code
 *       ORDERS_DB_PASSWORD}</td><td>{@code sa}, empty</td></tr>
 *   <tr><td>{@code --redis}</td><td>{@code ORDERS_REDIS_URI}</td><td>none: L1 cache, in-memory
 *       flags, a rate limit per instance; with Redis the cache gets its shared level, and the flags
 *       and the rate limit live there</td></tr>
 *   <tr><td>{@code --redis-prefix}</td><td>{@code ORDERS_REDIS_PREFIX}</td><td>{@code lintel:}: the
 *       prefix of every Redis key and channel (cache and flags)</td></tr>
 *   <tr><td>{@code --jwt-secret}</td><td>{@code ORDERS_JWT_SECRET}</td><td>none: a random key for
 *       this run (base64, 32 bytes or more)</td></tr>
 *   <tr><td>{@code --express-rollout}</td><td>{@code ORDERS_EXPRESS_ROLLOUT}</td><td>50 (% of
 *       customers offered express shipping), set when the flag store has no such flag yet</td></tr>
 *   <tr><td>{@code --shipping-url}</td><td>{@code ORDERS_SHIPPING_URL}</td><td>none: a fake
 *       shipping service on a free port</td></tr>
 *   <tr><td>{@code --rate-limit}</td><td>{@code ORDERS_RATE_LIMIT}</td><td>burst 20, refilled at
 *       5 per second (a quarter of the burst), per user</td></tr>
 *   <tr><td>{@code --import}</td><td>{@code ORDERS_IMPORT}</td><td>a generated file of 1,000
 *       historic orders; {@code none} to skip</td></tr>
 *   <tr><td>{@code --demo}</td><td></td><td>off: serve until stopped; on: run the tour and exit
 *       </td></tr>
 * </table>
 *
 * @param port the HTTP port, 0 for any free one
 * @param dataDirectory where the H2 files go
 * @param pluginDirectory where the plugin jars are
 * @param databaseUrl the main database, or null for H2 in the data directory
 * @param shardUrls the customer shard databases, or empty for two H2 files
 * @param databaseUser the database user
 * @param databasePassword the database password
 * @param redis Redis, or null for none
 * @param redisPrefix the prefix of the Redis keys and channels
 * @param jwtSecret the HS256 key, or null for a random one
 * @param expressRolloutPercent the express-shipping rollout
 * @param shippingService the shipping quote service, or null for the built-in fake
 * @param rateLimitBurst the rate limit's burst per user
 * @param importFile the historic orders to import, "none" to skip, or null for a generated file
 * @param demo whether to run the scripted tour and exit
 */
public record OrdersConfig(
    int port,
    Path dataDirectory,
    Path pluginDirectory,
    @Nullable String databaseUrl,
    List<String> shardUrls,
    String databaseUser,
    String databasePassword,
    @Nullable URI redis,
    String redisPrefix,
    byte @Nullable [] jwtSecret,
    int expressRolloutPercent,
    @Nullable URI shippingService,
    int rateLimitBurst,
    @Nullable String importFile,
    boolean demo) {

  /**
   * Reads the configuration.
   *
   * @param args the command line
   * @param env the environment
   * @return the configuration
   * @throws IllegalArgumentException naming the setting that is malformed, or an unknown option
   */
  public static OrdersConfig from(String[] args, Map<String, String> env) {
    Map<String, String> options = options(args);
    Settings settings = new Settings(options, env);
    boolean demo = options.containsKey("demo");
    String secret = settings.text("jwt-secret", "ORDERS_JWT_SECRET");
    String redis = settings.text("redis", "ORDERS_REDIS_URI");
    String shipping = settings.text("shipping-url", "ORDERS_SHIPPING_URL");
    String shards = settings.text("shard-urls", "ORDERS_SHARD_URLS");
    return new OrdersConfig(
        settings.number("port", "ORDERS_PORT", demo ? 0 : 8080),
        Path.of(
            settings.text(
                "data", "ORDERS_DATA", System.getProperty("orders.data", "target/orders-data"))),
        Path.of(
            settings.text(
                "plugins",
                "ORDERS_PLUGINS",
                System.getProperty("orders.plugins", "target/plugins"))),
        settings.text("db-url", "ORDERS_DB_URL"),
        shards == null ? List.of() : List.of(shards.split(",")),
        settings.text("db-user", "ORDERS_DB_USER", "sa"),
        settings.text("db-password", "ORDERS_DB_PASSWORD", ""),
        redis == null ? null : URI.create(redis),
        settings.text("redis-prefix", "ORDERS_REDIS_PREFIX", "lintel:"),
        secret == null ? null : decodeSecret(secret),
        settings.number("express-rollout", "ORDERS_EXPRESS_ROLLOUT", 50),
        shipping == null ? null : URI.create(shipping),
        settings.number("rate-limit", "ORDERS_RATE_LIMIT", 20),
        settings.text("import", "ORDERS_IMPORT"),
        demo);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException(
            "unknown argument '" + arg + "': options are --name=value");
      }
      int equals = arg.indexOf('=');
      if (equals < 0) {
        options.put(arg.substring(2), "true");
      } else {
        options.put(arg.substring(2, equals), arg.substring(equals + 1));
      }
    }
    return options;
  }

  private static byte[] decodeSecret(String base64) {
    byte[] secret;
    try {
      secret = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the JWT secret is not valid base64", e);
    }
    if (secret.length < 32) {
      throw new IllegalArgumentException(
          "the JWT secret must have 32 bytes or more but has " + secret.length);
    }
    return secret;
  }

  /** Whether the databases are the embedded H2 files. */
  boolean embeddedDatabases() {
    return databaseUrl == null;
  }

  @Override
  public String toString() { // no secret in logs
    return "OrdersConfig[port="
        + port
        + ", database="
        + (databaseUrl == null ? "H2 in " + dataDirectory : databaseUrl)
        + ", shards="
        + (shardUrls.isEmpty() ? "2 x H2" : shardUrls)
        + ", redis="
        + redis
        + ", jwtSecret="
        + (jwtSecret == null ? "random" : "configured")
        + ", expressRollout="
        + expressRolloutPercent
        + "%, demo="
        + demo
        + "]";
  }

  /** Looks a setting up in the options, then the environment, naming both in errors. */
  private record Settings(Map<String, String> options, Map<String, String> env) {
    @Nullable String text(String option, String variable) {
      String value = options.containsKey(option) ? options.get(option) : env.get(variable);
      return value == null || value.isBlank() ? null : value.trim();
    }

    String text(String option, String variable, String fallback) {
      String value = text(option, variable);
      return value == null ? fallback : value;
    }

    int number(String option, String variable, int fallback) {
      String value = text(option, variable);
      try {
        return value == null ? fallback : Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--" + option + " (or " + variable + ") must be a number but was '" + value + "'");
      }
    }
  }
}
