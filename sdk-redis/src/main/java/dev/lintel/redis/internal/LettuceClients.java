package dev.lintel.redis.internal;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import java.time.Duration;

/** The Lettuce clients Lintel's Redis parts create for themselves. */
public final class LettuceClients {
  private LettuceClients() {}

  /**
   * A client that reconnects in the background but fails commands at once while disconnected
   * (instead of queueing them until Lettuce's one-minute timeout), and times commands out after two
   * seconds: callers fall back quickly while Redis is away.
   *
   * @param uri where Redis listens
   * @return the client; the caller shuts it down
   */
  public static RedisClient failFast(RedisURI uri) {
    RedisClient client = RedisClient.create(uri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)))
            .build());
    return client;
  }
}
