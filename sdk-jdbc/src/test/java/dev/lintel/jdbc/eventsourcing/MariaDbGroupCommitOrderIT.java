package dev.lintel.jdbc.eventsourcing;

/** The global-order proof with 32 writers, whose appends group commit coalesces. */
class MariaDbGroupCommitOrderIT extends MariaDbGlobalOrderIT {
  @Override
  int writers() {
    return 32;
  }

  @Override
  int appendsPerWriter() {
    return 250;
  }
}
