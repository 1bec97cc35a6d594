package dev.lintel.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A private {@code redis-server} on a free loopback port, for tests that stop Redis on purpose. It
 * keeps nothing on disk. Kill it with {@link #kill()}, start it again on the same port with {@link
 * #start()}; {@link #close()} kills it for good.
 */
public final class RedisServerProcess implements AutoCloseable {
  private final int port;
  private final Path directory;
  private final List<String> extraArguments;
  private @Nullable Process process;

  private RedisServerProcess(int port, Path directory, List<String> extraArguments) {
    this.port = port;
    this.directory = directory;
    this.extraArguments = extraArguments;
  }

  /**
   * Starts a Redis server on a free loopback port and waits until it accepts connections.
   *
   * @return the running server
   * @throws IOException if it cannot be started
   */
  public static RedisServerProcess startOnFreePort() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    RedisServerProcess server =
        new RedisServerProcess(port, Files.createTempDirectory("lintel-redis-"), List.of());
    server.start();
    return server;
  }

  /**
   * Starts a Redis Cluster node on a free loopback port whose cluster bus port (port + 10,000) is
   * free too, and waits until it accepts connections. It is not part of a cluster yet.
   *
   * @param nodeTimeout the cluster node timeout: how long a master may be unreachable before its
   *     replica takes over
   * @return the running node
   * @throws IOException if it cannot be started
   */
  public static RedisServerProcess startClusterNodeOnFreePort(java.time.Duration nodeTimeout)
      throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      // Below the ephemeral range (32768 up), bus port included: no outgoing connection holds it.
      int port = 10_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(12_000);
      if (free(port) && free(port + 10_000)) {
        Path directory = Files.createTempDirectory("lintel-redis-cluster-");
        RedisServerProcess server =
            new RedisServerProcess(
                port,
                directory,
                List.of(
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    directory.resolve("nodes.conf").toString(),
                    "--cluster-node-timeout",
                    Long.toString(nodeTimeout.toMillis()),
                    "--repl-diskless-sync-delay",
                    "0")); // replicas sync at once, not 5 s later
        server.start();
        return server;
      }
    }
    throw new IOException("no free pair of loopback ports for a cluster node");
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort() == port;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Starts the server (again) on its port and waits until it accepts connections.
   *
   * @throws IOException if it cannot be started within 10 seconds
   */
  public synchronized void start() throws IOException {
    if (process != null && process.isAlive()) {
      return;
    }
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            TestServers.redisServerExecutable(),
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            directory.toString()));
    command.addAll(extraArguments);
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(directory.resolve("redis.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "redis-server exited: " + Files.readString(directory.resolve("redis.log")));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.onSpinWait();
      }
    }
    throw new IOException("redis-server did not listen on port " + port + " within 10 s");
  }

  /** Kills the server at once (SIGKILL), as a crash would. */
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Tells where the server listens.
   *
   * @return a {@code redis://127.0.0.1:port} URI
   */
  public URI uri() {
    return URI.create("redis://127.0.0.1:" + port);
  }

  /**
   * Tells the server's port.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * Tells whether the server process is running.
   *
   * @return true while it runs
   */
  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Kills the server and deletes its directory. */
  @Override
  public void close() {
    kill();
    try (var files = Files.walk(directory)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
