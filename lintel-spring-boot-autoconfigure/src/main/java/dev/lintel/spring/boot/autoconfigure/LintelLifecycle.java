package dev.lintel.spring.boot.autoconfigure;

import dev.lintel.core.Lintel;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the Lintel runtime with the application context and shuts it down gracefully with it.
 *
 * <p>Its phase is below the web server's ({@code SmartLifecycle.DEFAULT_PHASE - 2048}): the runtime
 * starts before the server accepts requests, and on shutdown Spring first drains HTTP requests
 * (graceful shutdown), stops the server, and only then closes the runtime, which refuses new
 * commands, drains those in flight up to {@code lintel.shutdown-timeout}, and stops its components
 * in reverse order. Readiness is DOWN throughout (see {@link LintelHealthAutoConfiguration}).
 */
public final class LintelLifecycle implements SmartLifecycle {
  /** The phase: after the web server stops on shutdown, before it starts on startup. */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private final Lintel lintel;

  LintelLifecycle(Lintel lintel) {
    this.lintel = lintel;
  }

  @Override
  public void start() {
    if (lintel.state() == Lintel.State.CREATED) {
      lintel.start();
    }
  }

  /** Closes the runtime gracefully; blocks until it is stopped. */
  @Override
  public void stop() {
    lintel.close();
  }

  @Override
  public boolean isRunning() {
    return lintel.state() == Lintel.State.RUNNING;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
