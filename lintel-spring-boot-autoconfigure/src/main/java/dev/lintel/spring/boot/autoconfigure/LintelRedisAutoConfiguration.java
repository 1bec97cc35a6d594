package dev.lintel.spring.boot.autoconfigure;

import dev.lintel.cache.RemoteCacheStore;
import dev.lintel.flags.FlagStore;
import dev.lintel.redis.RedisConnector;
import dev.lintel.redis.cache.RedisCacheStore;
import dev.lintel.redis.flags.RedisFlagStore;
import io.lettuce.core.RedisURI;
import java.util.Objects;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Redis for Lintel when sdk-redis is on the class path and {@code lintel.redis.uri} is set: the
 * shared flag store ({@link RedisFlagStore}, so a flag changed on one node changes on every node)
 * and the shared cache level ({@link RedisCacheStore}) for the application's {@code TieredCache}
 * beans to use as L2. Both own their connections and are closed with the context. Each backs off
 * when the application defines its own bean of the type.
 */
@AutoConfiguration
@ConditionalOnClass({RedisCacheStore.class, RedisURI.class})
@ConditionalOnProperty(prefix = "lintel.redis", name = "uri")
@EnableConfigurationProperties(LintelProperties.class)
class LintelRedisAutoConfiguration {

  /** Creates the configuration; Spring calls it. */
  LintelRedisAutoConfiguration() {}

  /**
   * The flag store on Redis.
   *
   * @param properties the settings
   * @return the store; closed with the context
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(FlagStore.class)
  @ConditionalOnProperty(prefix = "lintel", name = "enabled", matchIfMissing = true)
  public RedisFlagStore lintelRedisFlagStore(LintelProperties properties) {
    return RedisFlagStore.connect(connector(properties), properties.redis().flagPrefix());
  }

  /**
   * The shared cache level on Redis.
   *
   * @param properties the settings
   * @return the store; closed with the context
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(RemoteCacheStore.class)
  @ConditionalOnProperty(prefix = "lintel", name = "enabled", matchIfMissing = true)
  public RedisCacheStore lintelRedisCacheStore(LintelProperties properties) {
    return RedisCacheStore.connect(connector(properties));
  }

  /** A connector of the store's own (the store closes it), standalone or cluster. */
  private static RedisConnector connector(LintelProperties properties) {
    RedisURI uri =
        RedisURI.create(Objects.requireNonNull(properties.redis().uri(), "lintel.redis.uri"));
    return (properties.redis().cluster()
            ? RedisConnector.cluster(uri)
            : RedisConnector.standalone(uri))
        .connect();
  }
}
