package dev.lintel.samples.orders.adapters.http;

import dev.lintel.gateway.Filter;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts the requests in flight and, once draining, refuses new ones with 503 while those in flight
 * finish: the HTTP half of graceful shutdown. Health probes are always answered, so that an
 * orchestrator sees readiness DOWN rather than a refused probe.
 */
final class InFlightRequests implements Filter {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idle = lock.newCondition();
  private int inFlight;
  private boolean draining;

  @Override
  public Response filter(Request request, Chain next) throws Exception {
    if (request.path().startsWith("/health/")) {
      return next.proceed(request);
    }
    lock.lock();
    try {
      if (draining) {
        return Json.error(503, "shutting down")
            .withHeader("Retry-After", "1")
            .withHeader("Connection", "close");
      }
      inFlight++;
    } finally {
      lock.unlock();
    }
    try {
      return next.proceed(request);
    } finally {
      finished();
    }
  }

  private void finished() {
    lock.lock();
    try {
      if (--inFlight == 0) {
        idle.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Refuses new requests from now on and waits for those in flight.
   *
   * @param timeout how long to wait at most
   * @return the number still in flight when it stopped waiting: 0 unless the timeout passed
   * @throws InterruptedException if interrupted while waiting
   */
  int drain(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      draining = true;
      long nanos = timeout.toNanos();
      while (inFlight > 0 && nanos > 0) {
        nanos = idle.awaitNanos(nanos);
      }
      return inFlight;
    } finally {
      lock.unlock();
    }
  }
}
