package dev.lintel.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
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
  private @Nullable Process process;

  private RedisServerProcess(int port, Path directory) {
    this.port = port;
    this.directory = directory;
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
        new RedisServerProcess(port, Files.createTempDirectory("lintel-redis-"));
    server.start();
    return server;
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
    List<String> command =
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
            directory.toString());
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

  @Override
  public void close() {
    kill();
  }
}
