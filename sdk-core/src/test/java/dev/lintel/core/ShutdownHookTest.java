package dev.lintel.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.Lifecycle;
import dev.lintel.cqrs.Command;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The opt-in JVM shutdown hook, for real: a separate JVM runs a runtime with the hook, the test
 * sends it SIGTERM, and the process must shut down gracefully (readiness DOWN, components stopped)
 * before it exits.
 */
class ShutdownHookTest {

  /** The program the forked JVM runs. */
  static final class HookedApp {
    record Ping() implements Command<String> {}

    private static volatile Lintel running;

    public static void main(String[] args) throws InterruptedException {
      Lintel lintel =
          Lintel.builder()
              .shutdownHook(true)
              .component(
                  new Lifecycle() {
                    @Override
                    public void start() {}

                    @Override
                    public void stop() {
                      System.out.println(
                          "component stopped, readiness " + running.readiness().status());
                      System.out.flush();
                    }
                  })
              .build();
      running = lintel;
      lintel.start();
      lintel.commands().register(Ping.class, ping -> "pong");
      System.out.println("started " + lintel.commands().send(new Ping()));
      System.out.flush();
      new CountDownLatch(1).await();
    }
  }

  @Test
  void sigtermClosesTheRuntimeGracefully() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                HookedApp.class.getName())
            .redirectErrorStream(true)
            .start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader output =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = output.readLine()) != null) {
        lines.add(line);
        if (line.equals("started pong")) {
          process.toHandle().destroy();
        }
      }
    } finally {
      process.waitFor(30, TimeUnit.SECONDS);
      process.destroyForcibly();
    }

    assertThat(lines).contains("started pong", "component stopped, readiness DOWN");
  }
}
