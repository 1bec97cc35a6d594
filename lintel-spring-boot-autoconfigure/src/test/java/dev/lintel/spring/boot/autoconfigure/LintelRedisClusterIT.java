package dev.lintel.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.flags.Flag;
import dev.lintel.redis.cache.RedisCacheStore;
import dev.lintel.redis.flags.RedisFlagStore;
import dev.lintel.testing.TestServers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code lintel.redis.cluster=true}: the Redis beans on the test Redis Cluster. */
class LintelRedisClusterIT {

  @Test
  void withClusterTrueTheStoresWorkOnTheCluster() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                LintelRedisAutoConfiguration.class, LintelAutoConfiguration.class))
        .withPropertyValues(
            "lintel.redis.uri=" + TestServers.redisCluster(),
            "lintel.redis.cluster=true",
            "lintel.redis.flag-prefix=boot-cluster-" + UUID.randomUUID() + ":")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              RedisFlagStore flags = context.getBean(RedisFlagStore.class);
              flags.put(Flag.offForEveryone("checkout"));
              assertThat(flags.get("checkout")).isEqualTo(Flag.offForEveryone("checkout"));
              RedisCacheStore cache = context.getBean(RedisCacheStore.class);
              String key = "boot-cluster:" + UUID.randomUUID();
              cache.set(key, "v".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(1)).join();
              assertThat(cache.get(key).join()).isEqualTo("v".getBytes(StandardCharsets.UTF_8));
            });
  }
}
