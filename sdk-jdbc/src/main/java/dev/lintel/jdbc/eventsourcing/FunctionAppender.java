package dev.lintel.jdbc.eventsourcing;

import dev.lintel.core.eventsourcing.AbstractEventStore.AppendConflict;
import dev.lintel.core.eventsourcing.AbstractEventStore.PendingEvent;
import dev.lintel.eventsourcing.AppendResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's append: one call of a PL/pgSQL function the schema creates, so that an append, or a
 * group of appends to several streams, is one round trip and one auto-committed transaction.
 * Transient failures are retried.
 */
final class FunctionAppender implements Appender {
  private static final Logger log = LoggerFactory.getLogger(FunctionAppender.class);

  /*
   * How both append functions begin: the position lock (under the caller's lock timeout, if any),
   * read into v_last, and how long it took in v_waited. Rendered in place of {lock_position}.
   */
  private static final String LOCK_POSITION =
      """
        IF p_lock_timeout_ms > 0 THEN
          PERFORM set_config('lock_timeout', p_lock_timeout_ms || 'ms', true);
        END IF;
        SELECT last_position INTO v_last FROM {positions} WHERE id = 1 FOR UPDATE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'table {positions} has no row 1: create the schema first';
        END IF;
        v_waited := (extract(epoch FROM clock_timestamp() - v_started) * 1000000)::BIGINT;\
      """;

  /*
   * The protocol of Appender in one statement, in a fixed number of SQL statements whatever the
   * group's size: lock the position row, lock and read the group's existing streams, find which of
   * its event ids are stored, decide each batch in memory, then insert the accepted events, insert
   * or move the streams and move the position row once. Batch b holds p_counts[b] events, the next
   * ones of the flattened event arrays; p_batches names each event's batch. Expected version: -2
   * any, -1 the stream exists, 0 no stream, n exactly n. Returns three numbers per batch, {0, new
   * version, last position} when written, {1, actual version, 0} on a version conflict, {2, actual
   * version, 0} when an event id is already stored; then the position lock wait in microseconds. A
   * written group announces its last position on p_channel (when not empty), delivered at commit.
   * Every lookup is on a unique index; without "enable_seqscan = off" a session that cached its
   * plans while the tables were small kept scanning them whole as they grew (an "= ANY" over a
   * parameter array is estimated at 10 rows), and appends slowed down tenfold.
   */
  private static final String GROUP_FUNCTION =
      """
      CREATE OR REPLACE FUNCTION {group}(p_streams VARCHAR[], p_expected BIGINT[], p_counts INT[],
          p_batches INT[], p_ids UUID[], p_types VARCHAR[], p_data TEXT[], p_metadata TEXT[],
          p_at TIMESTAMPTZ[], p_lock_timeout_ms INT, p_channel TEXT)
      RETURNS BIGINT[] LANGUAGE plpgsql SET enable_seqscan = off AS $fn$
      DECLARE
        v_started TIMESTAMPTZ := clock_timestamp();
        v_waited BIGINT;
        v_results BIGINT[] := '{}';
        v_first BIGINT;
        v_last BIGINT;
        v_names VARCHAR[];
        v_versions BIGINT[];
        v_existing INT;
        v_stored UUID[];
        v_from INT := 1;
        v_count INT;
        v_slot INT;
        v_current BIGINT;
        v_batch UUID[];
        a_batch INT[] := '{}';
        a_from INT[] := '{}';
        a_position BIGINT[] := '{}';
        a_version BIGINT[] := '{}';
      BEGIN
      {lock_position}
        v_first := v_last;
        SELECT coalesce(array_agg(s.stream_id), '{}'), coalesce(array_agg(s.version), '{}')
          INTO v_names, v_versions
          FROM (SELECT stream_id, version FROM {streams} WHERE stream_id = ANY (p_streams)
                FOR UPDATE) s;
        v_existing := cardinality(v_names);
        SELECT coalesce(array_agg(event_id), '{}') INTO v_stored
          FROM {events} WHERE event_id = ANY (p_ids);
        FOR b IN 1 .. cardinality(p_streams) LOOP
          v_count := p_counts[b];
          v_slot := array_position(v_names, p_streams[b]);
          IF v_slot IS NULL THEN
            v_names := v_names || p_streams[b];
            v_versions := v_versions || 0::BIGINT;
            v_slot := cardinality(v_names);
          END IF;
          v_current := v_versions[v_slot];
          v_batch := p_ids[v_from : v_from + v_count - 1];
          IF (p_expected[b] >= 0 AND v_current <> p_expected[b])
              OR (p_expected[b] = -1 AND v_current = 0) THEN
            v_results := v_results || ARRAY[1, v_current, 0];
          ELSIF v_batch && v_stored THEN
            v_results := v_results || ARRAY[2, v_current, 0];
          ELSE
            a_batch := a_batch || b;
            a_from := a_from || v_from;
            a_position := a_position || (v_last + 1);
            a_version := a_version || (v_current + 1);
            v_stored := v_stored || v_batch;
            v_versions[v_slot] := v_current + v_count;
            v_last := v_last + v_count;
            v_results := v_results || ARRAY[0, v_current + v_count, v_last];
          END IF;
          v_from := v_from + v_count;
        END LOOP;
        IF v_last > v_first THEN
          INSERT INTO {events}
              (position, stream_id, version, event_id, event_type, data, metadata, created_at,
               append_index, append_size)
            SELECT a.position + (e.n - a.from_index), p_streams[a.batch],
                   a.version + (e.n - a.from_index), e.id, e.type, e.data::jsonb,
                   e.metadata::jsonb, p_at[a.batch], e.n - a.from_index, p_counts[a.batch]
            FROM unnest(p_ids, p_types, p_data, p_metadata, p_batches)
                   WITH ORDINALITY AS e(id, type, data, metadata, batch, n)
            JOIN unnest(a_batch, a_from, a_position, a_version)
                   AS a(batch, from_index, position, version) ON a.batch = e.batch;
          IF cardinality(v_names) > v_existing THEN
            INSERT INTO {streams} (stream_id, version)
              SELECT t.name, t.version
              FROM unnest(v_names[v_existing + 1 :], v_versions[v_existing + 1 :])
                     AS t(name, version)
              WHERE t.version > 0;
          END IF;
          IF v_existing > 0 THEN
            UPDATE {streams} s SET version = t.version
              FROM unnest(v_names[1 : v_existing], v_versions[1 : v_existing]) AS t(name, version)
              WHERE s.stream_id = t.name AND s.version <> t.version;
          END IF;
          UPDATE {positions} SET last_position = v_last WHERE id = 1;
          IF p_channel <> '' THEN
            PERFORM pg_notify(p_channel, v_last::text);
          END IF;
        END IF;
        RETURN v_results || v_waited;
      END
      $fn$
      """;

  /*
   * The group function for a group of one batch, the case of a writer without contention: the same
   * locks in the same order (position row, then the stream's row) and the same result (status,
   * version, last position, lock wait), with scalar lookups and no arrays to build, which halves
   * the server time of a lone append (about 0.06 against 0.12 ms in a probe of 2,000 calls).
   */
  private static final String ONE_FUNCTION =
      """
      CREATE OR REPLACE FUNCTION {one}(p_stream VARCHAR, p_expected BIGINT, p_ids UUID[],
          p_types VARCHAR[], p_data TEXT[], p_metadata TEXT[], p_at TIMESTAMPTZ,
          p_lock_timeout_ms INT, p_channel TEXT)
      RETURNS BIGINT[] LANGUAGE plpgsql SET enable_seqscan = off AS $fn$
      DECLARE
        v_started TIMESTAMPTZ := clock_timestamp();
        v_waited BIGINT;
        v_last BIGINT;
        v_current BIGINT;
        v_exists BOOLEAN;
        v_count INT := cardinality(p_ids);
      BEGIN
      {lock_position}
        SELECT version INTO v_current FROM {streams} WHERE stream_id = p_stream FOR UPDATE;
        v_exists := FOUND;
        IF NOT v_exists THEN
          v_current := 0;
        END IF;
        IF (p_expected >= 0 AND v_current <> p_expected) OR (p_expected = -1 AND v_current = 0) THEN
          RETURN ARRAY[1, v_current, 0, v_waited];
        END IF;
        IF EXISTS (SELECT 1 FROM {events} WHERE event_id = ANY (p_ids)) THEN
          RETURN ARRAY[2, v_current, 0, v_waited];
        END IF;
        IF v_count = 0 THEN
          RETURN ARRAY[0, v_current, v_last, v_waited];
        END IF;
        INSERT INTO {events}
            (position, stream_id, version, event_id, event_type, data, metadata, created_at,
             append_index, append_size)
          SELECT v_last + e.n, p_stream, v_current + e.n, e.id, e.type, e.data::jsonb,
                 e.metadata::jsonb, p_at, e.n - 1, v_count
          FROM unnest(p_ids, p_types, p_data, p_metadata)
                 WITH ORDINALITY AS e(id, type, data, metadata, n);
        IF v_exists THEN
          UPDATE {streams} SET version = v_current + v_count WHERE stream_id = p_stream;
        ELSE
          INSERT INTO {streams} (stream_id, version) VALUES (p_stream, v_count);
        END IF;
        UPDATE {positions} SET last_position = v_last + v_count WHERE id = 1;
        IF p_channel <> '' THEN
          PERFORM pg_notify(p_channel, (v_last + v_count)::text);
        END IF;
        RETURN ARRAY[0, v_current + v_count, v_last + v_count, v_waited];
      END
      $fn$
      """;

  /*
   * The single-append function of the first release, kept for its nodes during a rolling upgrade
   * and now a call of the group function, so that every append takes its locks in the same order.
   * Returns {0, new version, last position, lock wait} or {1, actual version}; a stored event id is
   * a unique violation, as before.
   */
  private static final String SINGLE_FUNCTION =
      """
      CREATE OR REPLACE FUNCTION {function}(p_stream VARCHAR, p_expected BIGINT, p_ids UUID[],
          p_types VARCHAR[], p_data TEXT[], p_metadata TEXT[], p_at TIMESTAMPTZ)
      RETURNS BIGINT[] LANGUAGE plpgsql AS $fn$
      DECLARE
        r BIGINT[];
      BEGIN
        r := {group}(ARRAY[p_stream], ARRAY[p_expected], ARRAY[cardinality(p_ids)],
                     array_fill(1, ARRAY[cardinality(p_ids)]), p_ids, p_types, p_data,
                     p_metadata, ARRAY[p_at], 0, '');
        IF r[1] = 2 THEN
          RAISE unique_violation USING MESSAGE = 'an event id of the append is already stored';
        ELSIF r[1] = 1 THEN
          RETURN ARRAY[1, r[2]];
        END IF;
        RETURN ARRAY[0, r[2], r[3], r[4]];
      END
      $fn$
      """;

  /**
   * Transient failures, and a unique violation: under the protocol an append never hits one, so it
   * came from a writer that does not follow it (a node of an older release); the next attempt's
   * checks see that writer's rows.
   */
  private static final Transactions.Retry RETRY =
      Transactions.Retry.TRANSIENT.or(JdbcDialect.POSTGRES::isUniqueViolation);

  private static final String UNDEFINED_FUNCTION = "42883";
  private static final int WRITTEN = 0;
  private static final int VERSION_CONFLICT = 1;

  private final StoreStats stats;
  private final int lockTimeoutMillis;
  private final String channel;
  private final String groupFunction;
  private final String call;
  private final String oneFunction;
  private final String callOne;
  private volatile boolean oneFunctionMissing; // tables created by a release without it

  /**
   * @param tables the table names
   * @param stats where lock waits are recorded
   * @param lockTimeoutMillis the position lock timeout of store-owned appends, 0 for none
   * @param notify whether written groups announce their last position
   */
  FunctionAppender(TableNames tables, StoreStats stats, int lockTimeoutMillis, boolean notify) {
    this.stats = stats;
    this.lockTimeoutMillis = lockTimeoutMillis;
    this.channel = notify ? tables.notificationChannel() : "";
    this.groupFunction = tables.appendGroupFunction();
    this.call = "SELECT " + groupFunction + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    this.oneFunction = tables.appendOneFunction();
    this.callOne = "SELECT " + oneFunction + "(?, ?, ?, ?, ?, ?, ?::timestamptz, ?, ?)";
  }

  /** The DDL that creates (or replaces) the append functions. */
  static List<String> createFunctions(TableNames tables) {
    return List.of(
        render(GROUP_FUNCTION, tables),
        render(ONE_FUNCTION, tables),
        render(SINGLE_FUNCTION, tables));
  }

  private static String render(String function, TableNames tables) {
    return function
        .replace("{lock_position}\n", LOCK_POSITION + "\n")
        .replace("{group}", tables.appendGroupFunction())
        .replace("{function}", tables.appendFunction())
        .replace("{one}", tables.appendOneFunction())
        .replace("{streams}", tables.streams())
        .replace("{positions}", tables.positions())
        .replace("{events}", tables.events());
  }

  /**
   * Appends a group in its own transaction; a group of one through the one-batch function, unless
   * the schema was created by a release without it (then through the group function, after a
   * warning: {@code createSchema()} adds it).
   */
  @Override
  public List<AppendBatch.Outcome> append(
      Transactions.ConnectionSource connections, List<AppendBatch> batches) throws SQLException {
    if (batches.size() == 1 && !oneFunctionMissing) {
      try {
        return Transactions.autoCommitted(
            connections, RETRY, connection -> callOne(connection, batches.get(0)));
      } catch (SQLException e) {
        if (!UNDEFINED_FUNCTION.equals(e.getSQLState())) {
          throw e;
        }
        oneFunctionMissing = true;
        log.warn(
            "The database has no function {} (the tables were created by an earlier release):"
                + " appends go through {}; createSchema() adds it",
            oneFunction,
            groupFunction);
      }
    }
    return Transactions.autoCommitted(
        connections, RETRY, connection -> call(connection, batches, lockTimeoutMillis));
  }

  private List<AppendBatch.Outcome> callOne(Connection connection, AppendBatch batch)
      throws SQLException {
    int size = batch.size();
    UUID[] ids = new UUID[size];
    String[] types = new String[size];
    String[] data = new String[size];
    String[] metadata = new String[size];
    putEvents(batch, ids, types, data, metadata, 0);
    Long[] result;
    try (PreparedStatement statement = connection.prepareStatement(callOne)) {
      statement.setString(1, batch.stream());
      statement.setLong(2, batch.encodedExpectation());
      statement.setArray(3, connection.createArrayOf("uuid", ids));
      statement.setArray(4, connection.createArrayOf("varchar", types));
      statement.setArray(5, connection.createArrayOf("text", data));
      statement.setArray(6, connection.createArrayOf("text", metadata));
      statement.setString(7, batch.timestamp().toString()); // an ISO-8601 instant
      statement.setInt(8, lockTimeoutMillis);
      statement.setString(9, channel);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        result = (Long[]) row.getArray(1).getArray();
      }
    }
    return outcomes(List.of(batch), result);
  }

  @Override
  public List<AppendBatch.Outcome> write(Connection connection, List<AppendBatch> batches)
      throws SQLException {
    return call(connection, batches, 0);
  }

  private List<AppendBatch.Outcome> call(
      Connection connection, List<AppendBatch> batches, int lockTimeout) throws SQLException {
    int events = 0;
    for (AppendBatch batch : batches) {
      events += batch.size();
    }
    String[] streams = new String[batches.size()];
    Long[] expected = new Long[batches.size()];
    Integer[] counts = new Integer[batches.size()];
    String[] timestamps = new String[batches.size()]; // ISO-8601 instants: no time zone applied
    Integer[] eventBatches = new Integer[events];
    UUID[] ids = new UUID[events];
    String[] types = new String[events];
    String[] data = new String[events];
    String[] metadata = new String[events];
    int next = 0;
    for (int b = 0; b < batches.size(); b++) {
      AppendBatch batch = batches.get(b);
      streams[b] = batch.stream();
      expected[b] = batch.encodedExpectation();
      counts[b] = batch.size();
      timestamps[b] = batch.timestamp().toString();
      int end = putEvents(batch, ids, types, data, metadata, next);
      Arrays.fill(eventBatches, next, end, b + 1);
      next = end;
    }
    Long[] result;
    try (PreparedStatement statement = connection.prepareStatement(call)) {
      statement.setArray(1, connection.createArrayOf("varchar", streams));
      statement.setArray(2, connection.createArrayOf("int8", expected));
      statement.setArray(3, connection.createArrayOf("int4", counts));
      statement.setArray(4, connection.createArrayOf("int4", eventBatches));
      statement.setArray(5, connection.createArrayOf("uuid", ids));
      statement.setArray(6, connection.createArrayOf("varchar", types));
      statement.setArray(7, connection.createArrayOf("text", data));
      statement.setArray(8, connection.createArrayOf("text", metadata));
      statement.setArray(9, connection.createArrayOf("timestamptz", timestamps));
      statement.setInt(10, lockTimeout);
      statement.setString(11, channel);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        result = (Long[]) row.getArray(1).getArray();
      }
    } catch (SQLException e) {
      if (UNDEFINED_FUNCTION.equals(e.getSQLState())) {
        throw new SQLException(
            "The database has no function "
                + groupFunction
                + " of this release: the tables were created by an earlier one. Call"
                + " createSchema() once (or apply JdbcEventStore.ddl(...)); it keeps the tables"
                + " and their rows as they are",
            e.getSQLState(),
            e);
      }
      throw e;
    }
    return outcomes(batches, result);
  }

  /** Puts a batch's events into the call's arrays from index {@code from}; returns the next one. */
  private static int putEvents(
      AppendBatch batch, UUID[] ids, String[] types, String[] data, String[] metadata, int from) {
    int next = from;
    for (PendingEvent event : batch.events()) {
      ids[next] = event.eventId();
      types[next] = event.type();
      data[next] = event.json();
      metadata[next] = event.metadataJson();
      next++;
    }
    return next;
  }

  /** Reads three numbers per batch and the position lock wait last (see the functions). */
  private List<AppendBatch.Outcome> outcomes(List<AppendBatch> batches, Long[] result) {
    stats.positionLockWaited(batches, result[result.length - 1] * 1_000);
    List<AppendBatch.Outcome> outcomes = new ArrayList<>(batches.size());
    for (int b = 0; b < batches.size(); b++) {
      AppendBatch batch = batches.get(b);
      long status = result[3 * b];
      long version = result[3 * b + 1];
      long last = result[3 * b + 2];
      if (status == WRITTEN) {
        outcomes.add(
            AppendBatch.Outcome.written(
                new AppendResult(batch.stream(), version, last - batch.size() + 1, last)));
      } else if (status == VERSION_CONFLICT) {
        outcomes.add(AppendBatch.Outcome.refused(AppendConflict.versionMismatch(version)));
      } else {
        outcomes.add(AppendBatch.Outcome.refused(AppendConflict.duplicateEventId()));
      }
    }
    return outcomes;
  }
}
