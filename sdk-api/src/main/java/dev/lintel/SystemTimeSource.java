package dev.lintel;

import java.time.Instant;

/** The system's clocks. An enum so that it is a singleton and every call site stays monomorphic. */
enum SystemTimeSource implements TimeSource {
  INSTANCE;

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public String toString() {
    return "TimeSource.system()";
  }
}
