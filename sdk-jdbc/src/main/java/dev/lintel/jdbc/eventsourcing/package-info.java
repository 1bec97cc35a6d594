/**
 * The JDBC event store with PostgreSQL, MariaDB and H2 dialects, its checkpoint and snapshot stores
 * and transactional projections.
 */
@NullMarked
package dev.lintel.jdbc.eventsourcing;

import org.jspecify.annotations.NullMarked;
