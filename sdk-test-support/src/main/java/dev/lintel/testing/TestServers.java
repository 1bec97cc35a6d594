package dev.lintel.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/**
 * The real servers that integration tests ({@code *IT}) use, as {@code scripts/test.sh} exports
 * them. Without that script the machine's usual loopback servers are assumed. A server that does
 * not answer fails the test with a message that says how to start it: integration tests never pass
 * silently without their servers.
 */
public final class TestServers {
  private static final String HOW_TO_START =
      "Run scripts/test.sh, which uses running servers or installs and starts private ones, "
          + "or export %s to point at a running server.";

  private TestServers() {}

  /**
   * The PostgreSQL database for tests.
   *
   * @return its settings, checked to answer
   */
  public static JdbcServer postgres() {
    return jdbc(
        "PostgreSQL",
        "LINTEL_TEST_POSTGRES",
        "jdbc:postgresql://127.0.0.1:5432/lintel_test",
        "postgres");
  }

  /**
   * The MariaDB database for tests.
   *
   * @return its settings, checked to answer
   */
  public static JdbcServer mariadb() {
    return jdbc(
        "MariaDB",
        "LINTEL_TEST_MARIADB",
        "jdbc:mariadb://127.0.0.1:3306/lintel_test?sslMode=disable",
        "root");
  }

  /**
   * The Redis server for tests, as a {@code redis://host:port} URI.
   *
   * @return its URI, checked to answer
   */
  public static URI redis() {
    URI uri = URI.create(env("LINTEL_TEST_REDIS_URI", "redis://127.0.0.1:6379"));
    requireListening("Redis", uri.getHost(), uri.getPort(), "LINTEL_TEST_REDIS_URI");
    return uri;
  }

  /**
   * A seed node of the test Redis Cluster (3 masters, 3 replicas; {@code scripts/with-services.sh}
   * starts one), as a {@code redis://host:port} URI.
   *
   * @return its URI, checked to answer
   */
  public static URI redisCluster() {
    URI uri = URI.create(env("LINTEL_TEST_REDIS_CLUSTER_URI", "redis://127.0.0.1:7000"));
    requireListening(
        "Redis Cluster", uri.getHost(), uri.getPort(), "LINTEL_TEST_REDIS_CLUSTER_URI");
    return uri;
  }

  /**
   * The {@code redis-server} executable, for tests that start and kill their own Redis.
   *
   * @return its path, or just its name to find it on the PATH
   */
  public static String redisServerExecutable() {
    return env("LINTEL_TEST_REDIS_SERVER", "redis-server");
  }

  private static JdbcServer jdbc(
      String product, String prefix, String defaultUrl, String defaultUser) {
    String url = env(prefix + "_URL", defaultUrl);
    JdbcServer server =
        new JdbcServer(
            product, url, env(prefix + "_USER", defaultUser), env(prefix + "_PASSWORD", ""));
    URI address = URI.create(url.substring("jdbc:".length()));
    requireListening(product, address.getHost(), address.getPort(), prefix + "_URL");
    return server;
  }

  private static void requireListening(String product, String host, int port, String variable) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2_000);
    } catch (IOException e) {
      throw new AssertionError(
          product
              + " is not reachable at "
              + host
              + ":"
              + port
              + " ("
              + e.getMessage()
              + "). "
              + String.format(HOW_TO_START, variable),
          e);
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isEmpty() ? fallback : value;
  }
}
