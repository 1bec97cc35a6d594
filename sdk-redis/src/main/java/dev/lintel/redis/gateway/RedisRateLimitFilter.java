package dev.lintel.redis.gateway;

import dev.lintel.core.gateway.RateLimitFilter;
import dev.lintel.gateway.Filter;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import dev.lintel.redis.RedisConnector;
import dev.lintel.redis.internal.RedisKeyspace;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rate limit shared by every node: the same token bucket as {@link RateLimitFilter} (GCRA), kept
 * in Redis and decided in one round trip by a Lua script that reads Redis' own clock, so several
 * nodes together never admit more than the limit and their clocks need not agree.
 *
 * <p>If Redis cannot answer, the filter lets the request through and logs it (fail open), unless
 * built with {@code failClosed}, which answers 503 instead. Thread-safe.
 */
public final class RedisRateLimitFilter implements Filter, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisRateLimitFilter.class);
  private static final String SCRIPT =
      "local now = redis.call('TIME')\n"
          + "local nowUs = tonumber(now[1]) * 1000000 + tonumber(now[2])\n"
          + "local tat = tonumber(redis.call('GET', KEYS[1]) or nowUs)\n"
          + "if tat < nowUs then tat = nowUs end\n"
          + "local nextTat = tat + tonumber(ARGV[1])\n"
          + "local ahead = nextTat - nowUs\n"
          + "if ahead > tonumber(ARGV[2]) then return ahead - tonumber(ARGV[2]) end\n"
          + "redis.call('SET', KEYS[1], tostring(nextTat), 'PX', math.ceil(ahead / 1000) + 1000)\n"
          + "return 0\n";

  /** EVALSHA first; a node that does not know the script yet gets it by EVAL (then caches it). */
  private static final String SCRIPT_SHA = sha1Hex(SCRIPT);

  private final RedisClusterCommands<String, String> redis;
  private final @Nullable RedisKeyspace<String> owned;
  private final String sha;
  private final String prefix;
  private final String[] arguments;
  private final Function<Request, String> key;
  private final boolean failOpen;

  private RedisRateLimitFilter(
      RedisClusterCommands<String, String> redis,
      @Nullable RedisKeyspace<String> owned,
      String prefix,
      long capacity,
      double perSecond,
      Function<Request, String> key,
      boolean failOpen) {
    this.redis = redis;
    this.owned = owned;
    this.sha = SCRIPT_SHA;
    this.prefix = prefix;
    long intervalMicros = Math.max(1, (long) (TimeUnit.SECONDS.toMicros(1) / perSecond));
    this.arguments =
        new String[] {Long.toString(intervalMicros), Long.toString(capacity * intervalMicros)};
    this.key = key;
    this.failOpen = failOpen;
  }

  /**
   * Limits each principal (else client address) across all nodes sharing this Redis.
   *
   * @param connection the host's connection; the filter never closes it
   * @param name names the limit; keys are {@code lintel:ratelimit:<name>:<key>}
   * @param capacity the burst; positive
   * @param perSecond the refill rate; positive
   * @return the filter, failing open
   * @throws IllegalArgumentException if a value is not positive
   */
  public static RedisRateLimitFilter perPrincipal(
      StatefulRedisConnection<String, String> connection,
      String name,
      long capacity,
      double perSecond) {
    return keyedBy(
        connection, name, capacity, perSecond, RateLimitFilter.PRINCIPAL_OR_ADDRESS, true);
  }

  /**
   * Limits per a key of your own across all nodes sharing this Redis.
   *
   * @param connection the host's connection; the filter never closes it
   * @param name names the limit
   * @param capacity the burst; positive
   * @param perSecond the refill rate; positive
   * @param key picks the bucket of a request
   * @param failOpen whether to let requests through (true) or answer 503 (false) when Redis fails
   * @return the filter
   * @throws IllegalArgumentException if a value is not positive
   */
  public static RedisRateLimitFilter keyedBy(
      StatefulRedisConnection<String, String> connection,
      String name,
      long capacity,
      double perSecond,
      Function<Request, String> key,
      boolean failOpen) {
    Objects.requireNonNull(connection, "connection");
    return create(connection.sync(), null, name, capacity, perSecond, key, failOpen);
  }

  /**
   * Limits per a key of your own across all nodes sharing a standalone Redis or a Redis Cluster.
   * The filter opens its own connection on the connector and closes it on {@link #close()}. On a
   * cluster, each bucket is one key decided by a script touching that key alone, so it runs on the
   * master of the key's slot.
   *
   * @param connector where Redis is; the filter never closes it
   * @param name names the limit; keys are {@code lintel:ratelimit:<name>:<key>}
   * @param capacity the burst; positive
   * @param perSecond the refill rate; positive
   * @param key picks the bucket of a request
   * @param failOpen whether to let requests through (true) or answer 503 (false) when Redis fails
   * @return the filter
   * @throws IllegalArgumentException if a value is not positive
   */
  public static RedisRateLimitFilter keyedBy(
      RedisConnector connector,
      String name,
      long capacity,
      double perSecond,
      Function<Request, String> key,
      boolean failOpen) {
    Objects.requireNonNull(connector, "connector");
    validate(name, capacity, perSecond);
    RedisKeyspace<String> keyspace = RedisKeyspace.open(connector, StringCodec.UTF8);
    return create(keyspace.sync(), keyspace, name, capacity, perSecond, key, failOpen);
  }

  private static RedisRateLimitFilter create(
      RedisClusterCommands<String, String> redis,
      @Nullable RedisKeyspace<String> owned,
      String name,
      long capacity,
      double perSecond,
      Function<Request, String> key,
      boolean failOpen) {
    validate(name, capacity, perSecond);
    return new RedisRateLimitFilter(
        redis,
        owned,
        "lintel:ratelimit:" + name + ":",
        capacity,
        perSecond,
        Objects.requireNonNull(key, "key"),
        failOpen);
  }

  private static void validate(String name, long capacity, double perSecond) {
    Objects.requireNonNull(name, "name");
    if (capacity <= 0 || !(perSecond > 0)) {
      throw new IllegalArgumentException(
          "rate limit '"
              + name
              + "' needs a positive capacity and rate but was "
              + capacity
              + ", "
              + perSecond);
    }
  }

  private static String sha1Hex(String script) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JDK", e);
    }
  }

  /** Closes the connection the filter opened on a connector; otherwise does nothing. */
  @Override
  public void close() {
    if (owned != null) {
      owned.close();
    }
  }

  @Override
  public Response filter(Request request, Chain next) throws Exception {
    long waitMicros;
    try {
      waitMicros = decide(prefix + key.apply(request));
    } catch (RuntimeException e) {
      log.warn(
          "Shared rate limit unavailable; {} the request", failOpen ? "admitting" : "refusing", e);
      return failOpen ? next.proceed(request) : Response.text(503, "service unavailable");
    }
    if (waitMicros > 0) {
      long seconds = Math.max(1, (waitMicros + 999_999L) / 1_000_000L);
      return Response.text(429, "too many requests")
          .withHeader("Retry-After", Long.toString(seconds));
    }
    return next.proceed(request);
  }

  private long decide(String bucket) {
    String[] keys = {bucket};
    Long wait;
    try {
      wait = redis.evalsha(sha, ScriptOutputType.INTEGER, keys, arguments);
    } catch (RedisNoScriptException e) { // the server restarted or its scripts were flushed
      wait = redis.eval(SCRIPT, ScriptOutputType.INTEGER, keys, arguments);
    }
    return wait == null ? 0 : wait;
  }
}
