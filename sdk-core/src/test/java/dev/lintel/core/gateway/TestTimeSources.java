package dev.lintel.core.gateway;

import dev.lintel.TimeSource;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

/** Time sources that tell on the code under test. */
final class TestTimeSources {
  private TestTimeSources() {}

  /** A time source that fails the request if anything reads it. */
  static TimeSource unread() {
    return new TimeSource() {
      @Override
      public long nanoTime() {
        throw new AssertionError("this time source must not be read");
      }

      @Override
      public Instant now() {
        throw new AssertionError("this time source must not be read");
      }
    };
  }

  /** The wall clock of a time source as a {@link Clock}, for resilience4j's breaker. */
  static Clock clockOf(TimeSource time) {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Instant instant() {
        return time.now();
      }
    };
  }

  /** A time source that counts how often its monotonic clock is read. */
  static final class Counting implements TimeSource {
    private final TimeSource time;
    private final AtomicInteger reads = new AtomicInteger();

    Counting(TimeSource time) {
      this.time = time;
    }

    @Override
    public long nanoTime() {
      reads.incrementAndGet();
      return time.nanoTime();
    }

    @Override
    public Instant now() {
      return time.now();
    }

    int reads() {
      return reads.get();
    }
  }
}
