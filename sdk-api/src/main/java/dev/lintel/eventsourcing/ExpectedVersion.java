package dev.lintel.eventsourcing;

/**
 * What the writer believes a stream's version to be when it appends: the optimistic-concurrency
 * check of {@link EventStore#append}. A stream's version is the number of events in it; its first
 * event has version 1.
 */
public final class ExpectedVersion {
  private static final long ANY_VALUE = -2;
  private static final long EXISTS_VALUE = -1;

  private static final ExpectedVersion ANY = new ExpectedVersion(ANY_VALUE);
  private static final ExpectedVersion NO_STREAM = new ExpectedVersion(0);
  private static final ExpectedVersion STREAM_EXISTS = new ExpectedVersion(EXISTS_VALUE);

  private final long value;

  private ExpectedVersion(long value) {
    this.value = value;
  }

  /**
   * Appends whatever the stream's version is.
   *
   * @return the expectation that always holds
   */
  public static ExpectedVersion any() {
    return ANY;
  }

  /**
   * Appends only if the stream has no events yet.
   *
   * @return the expectation of an empty stream
   */
  public static ExpectedVersion noStream() {
    return NO_STREAM;
  }

  /**
   * Appends only if the stream has at least one event.
   *
   * @return the expectation of an existing stream
   */
  public static ExpectedVersion streamExists() {
    return STREAM_EXISTS;
  }

  /**
   * Appends only if the stream's version is exactly this.
   *
   * @param version the number of events the writer has seen; 0 means no stream
   * @return the expectation
   * @throws IllegalArgumentException if the version is negative
   */
  public static ExpectedVersion exactly(long version) {
    if (version < 0) {
      throw new IllegalArgumentException(
          "expected version must not be negative but was " + version);
    }
    return version == 0 ? NO_STREAM : new ExpectedVersion(version);
  }

  /**
   * Tells whether a stream at the given version satisfies this expectation.
   *
   * @param currentVersion the stream's version, 0 if it does not exist
   * @return true if an append may go ahead
   */
  public boolean isSatisfiedBy(long currentVersion) {
    if (value == ANY_VALUE) {
      return true;
    }
    if (value == EXISTS_VALUE) {
      return currentVersion > 0;
    }
    return currentVersion == value;
  }

  /**
   * Tells whether this expectation names one exact version (including 0, no stream).
   *
   * @return true for {@link #exactly} and {@link #noStream}
   */
  public boolean isExact() {
    return value >= 0;
  }

  /**
   * Gives the exact version expected.
   *
   * @return the version
   * @throws IllegalStateException if this expectation is not exact
   */
  public long version() {
    if (!isExact()) {
      throw new IllegalStateException(this + " names no exact version");
    }
    return value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ExpectedVersion that && that.value == value;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(value);
  }

  @Override
  public String toString() {
    if (value == ANY_VALUE) {
      return "any";
    }
    if (value == EXISTS_VALUE) {
      return "stream exists";
    }
    return value == 0 ? "no stream" : "version " + value;
  }
}
