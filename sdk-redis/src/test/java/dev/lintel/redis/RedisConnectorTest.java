package dev.lintel.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link RedisConnector} without a server: what it wraps, what it refuses, what it closes. */
class RedisConnectorTest {
  private static final RedisURI URI = RedisURI.create("redis://127.0.0.1:1");

  @Test
  void wrapsTheHostsClientsAndSaysWhichKind() {
    RedisClient standalone = RedisClient.create(URI);
    RedisClusterClient cluster = RedisClusterClient.create(URI);
    try {
      RedisConnector one = RedisConnector.using(standalone);
      RedisConnector many = RedisConnector.using(cluster);

      assertThat(one.isCluster()).isFalse();
      assertThat(one.standaloneClient()).containsSame(standalone);
      assertThat(one.clusterClient()).isEmpty();
      assertThat(many.isCluster()).isTrue();
      assertThat(many.clusterClient()).containsSame(cluster);
      assertThat(many.standaloneClient()).isEmpty();
    } finally {
      standalone.shutdown();
      cluster.shutdown();
    }
  }

  @Test
  void closingAConnectorAroundTheHostsClientLeavesTheClientUsable() {
    RedisClient client = RedisClient.create(URI);
    try {
      RedisConnector.using(client).close();

      assertThat(client.getResources().eventExecutorGroup().isShuttingDown()).isFalse();
    } finally {
      client.shutdown();
    }
  }

  @Test
  void refusesBadSettingsAtOnceNamingTheValue() {
    assertThatThrownBy(() -> RedisConnector.standalone(URI).reconnectDelay(Duration.ofMillis(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reconnect delay must be at least 10 ms but was PT0.005S");
    assertThatThrownBy(() -> RedisConnector.standalone(URI).commandTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("command timeout must be positive but was PT0S");
    assertThatThrownBy(() -> RedisConnector.cluster(URI).topologyRefresh(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("topology refresh period must be positive");
    assertThatThrownBy(() -> RedisConnector.cluster())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one seed");
  }

  @Test
  void aStandaloneConnectorOwnsAndClosesItsClient() {
    RedisConnector connector =
        RedisConnector.standalone(URI).reconnectDelay(Duration.ofMillis(50)).connect();
    RedisClient client = connector.standaloneClient().orElseThrow();

    connector.close();

    assertThat(client.getResources().eventExecutorGroup().isShuttingDown()).isTrue();
    assertThat(connector).hasToString("RedisConnector{standalone redis://127.0.0.1:1, owned}");
  }
}
