package dev.lintel.jdbc.eventsourcing;

import static dev.lintel.testing.Eventually.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.core.eventsourcing.JacksonEventSerializer;
import dev.lintel.core.eventsourcing.UnknownEvent;
import dev.lintel.eventsourcing.AppendResult;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.eventsourcing.Subscription;
import dev.lintel.eventsourcing.UnknownEventTypeException;
import dev.lintel.testing.ContractEvents.Deposited;
import dev.lintel.testing.ContractEvents.Note;
import dev.lintel.testing.ManualTimeSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a JDBC store does with the data it finds in its tables: old shapes upcast on read, types it
 * does not know, metadata that was corrupted by hand, rows deleted by hand, and a table prefix that
 * is not safe. Run per dialect, as each reads rows its own way (PostgreSQL in pages of bytes).
 */
abstract class StoredDataProof {
  record WithdrawnV1(int amount) {}

  record WithdrawnV2(int amount, String currency) {}

  private final String prefix = JdbcStores.freshPrefix();
  private DataSource dataSource;

  abstract JdbcDialect dialect();

  abstract DataSource newDataSource();

  /** A SQL literal the metadata column accepts that is not a JSON object of strings. */
  abstract String corruptMetadata();

  @BeforeEach
  void connect() {
    dataSource = newDataSource();
  }

  @AfterEach
  void dropTables() {
    JdbcStores.dropTables(dataSource, prefix);
  }

  private JdbcEventStore store(JacksonEventSerializer serializer) {
    return JdbcStores.builder(dialect(), dataSource)
        .serializer(serializer)
        .tablePrefix(prefix)
        .build()
        .createSchema();
  }

  @Test
  void eventsWrittenInTheirOldShapeAreUpcastWhenRead() {
    JdbcEventStore v1 =
        store(JacksonEventSerializer.builder().type(WithdrawnV1.class, "withdrawn.v1").build());
    v1.append("account-1", ExpectedVersion.noStream(), List.of(NewEvent.of(new WithdrawnV1(30))));

    JdbcEventStore v2 =
        store(
            JacksonEventSerializer.builder()
                .type(WithdrawnV2.class, "withdrawn.v2")
                .upcaster("withdrawn.v1", "withdrawn.v2", json -> json.put("currency", "EUR"))
                .build());

    assertThat(v2.readAll(1, 10))
        .extracting(RecordedEvent::data)
        .containsExactly(new WithdrawnV2(30, "EUR"));
    assertThat(v2.readStream("account-1", 1, 10).get(0).type()).isEqualTo("withdrawn.v2");
  }

  @Test
  void anUnknownTypeIsReportedWithItsNameAndPosition() {
    JdbcEventStore writer =
        store(JacksonEventSerializer.builder().type(WithdrawnV1.class, "withdrawn.v1").build());
    writer.append("account-1", ExpectedVersion.any(), List.of(NewEvent.of(new WithdrawnV1(1))));
    JdbcEventStore reader = store(JacksonEventSerializer.builder().build());

    assertThatThrownBy(() -> reader.readAll(1, 10))
        .isInstanceOf(UnknownEventTypeException.class)
        .hasMessageContaining("withdrawn.v1")
        .hasMessageContaining("1");
  }

  @Test
  void corruptMetadataStopsASubscriptionInsteadOfRetryingForever() throws SQLException {
    JdbcEventStore store =
        store(JacksonEventSerializer.builder().type(WithdrawnV1.class, "withdrawn.v1").build());
    store.append("account-1", ExpectedVersion.any(), List.of(NewEvent.of(new WithdrawnV1(1))));
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.executeUpdate(
          "UPDATE " + new TableNames(prefix).events() + " SET metadata = " + corruptMetadata());
    }

    assertThatThrownBy(() -> store.readAll(1, 10))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("metadata is malformed");
    try (Subscription subscription = store.subscribeAll(1, event -> {})) {
      awaitTrue(() -> !subscription.isRunning(), "the subscription to stop");
      assertThat(subscription.failure()).isInstanceOf(IllegalStateException.class);
    }
  }

  /** Old shapes, current ones and unknown types mixed within one page of a long read. */
  @Test
  void eachEventOfALongReadIsReadByItsOwnTypeName() {
    JdbcEventStore v1 =
        store(JacksonEventSerializer.builder().type(WithdrawnV1.class, "withdrawn.v1").build());
    JdbcEventStore v2 =
        store(
            JacksonEventSerializer.builder()
                .type(WithdrawnV2.class, "withdrawn.v2")
                .type(Deposited.class, "deposited")
                .upcaster("withdrawn.v1", "withdrawn.v2", json -> json.put("currency", "EUR"))
                .keepUnknownTypes()
                .build());
    JdbcEventStore other = store(JacksonEventSerializer.builder().type(Note.class, "note").build());
    for (int batch = 0; batch < 12; batch++) {
      List<NewEvent> events = new ArrayList<>();
      for (int i = batch * 100; i < batch * 100 + 100; i++) {
        events.add(
            NewEvent.of(
                switch (batch % 4) {
                  case 0 -> new WithdrawnV1(i);
                  case 1 -> new WithdrawnV2(i, "USD");
                  case 2 -> new Deposited("a", i);
                  default -> new Note("n" + i);
                }));
      }
      JdbcEventStore writer = batch % 4 == 0 ? v1 : batch % 4 == 3 ? other : v2;
      writer.append("a", ExpectedVersion.any(), events);
    }

    List<RecordedEvent> events = v2.readAll(1, 1_200);

    assertThat(events).hasSize(1_200);
    for (int i = 0; i < events.size(); i++) {
      Object data = events.get(i).data();
      String text = "\"n" + i + "\"";
      switch (i / 100 % 4) {
        case 0 -> assertThat(data).as("event %s", i).isEqualTo(new WithdrawnV2(i, "EUR"));
        case 1 -> assertThat(data).as("event %s", i).isEqualTo(new WithdrawnV2(i, "USD"));
        case 2 -> assertThat(data).as("event %s", i).isEqualTo(new Deposited("a", i));
        default ->
            assertThat(data)
                .as("event %s", i)
                .isInstanceOfSatisfying(
                    UnknownEvent.class,
                    unknown -> {
                      assertThat(unknown.type()).isEqualTo("note");
                      assertThat(unknown.json()).contains(text);
                    });
      }
    }
    assertThat(events.get(0).type()).isEqualTo("withdrawn.v2");
    assertThat(v2.readStream("a", 1, 1_200)).isEqualTo(events);
  }

  /**
   * Positions and versions are dense; a missing one can only be an append that has committed but is
   * not yet visible (or, here, a row deleted by hand), and a read stops before it.
   */
  @Test
  void aReadStopsBeforeAMissingPositionOrVersion() throws SQLException {
    JdbcEventStore store =
        store(JacksonEventSerializer.builder().type(WithdrawnV1.class, "withdrawn.v1").build());
    for (int batch = 0; batch < 15; batch++) {
      List<NewEvent> events = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        events.add(NewEvent.of(new WithdrawnV1(batch * 100 + i)));
      }
      store.append("a", ExpectedVersion.any(), events);
    }
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.executeUpdate(
          "DELETE FROM " + new TableNames(prefix).events() + " WHERE position = 1200");
    }

    assertThat(store.readAll(1, 2_000)).hasSize(1_199);
    assertThat(store.readAll(1_100, 50)).hasSize(50);
    assertThat(store.readStream("a", 1_000, 500))
        .extracting(RecordedEvent::version)
        .containsExactlyElementsOf(LongStream.range(1_000, 1_200).boxed().toList());
    assertThat(store.readAll(1_201, 10)).extracting(RecordedEvent::position).startsWith(1_201L);
    assertThat(store.stats().visibilityGaps()).isEqualTo(2);
  }

  /**
   * Timestamps come back as the instant written, to the microsecond, in a JVM whose zone is not UTC
   * and has a daylight-saving change at that instant; on PostgreSQL the long read switches from
   * text to binary rows after five pages (pgjdbc's prepareThreshold), so both are covered.
   */
  @Test
  void timestampsAreReadBackAsTheInstantWrittenWhateverTheJvmZone() {
    Instant at = Instant.parse("2024-03-31T01:00:00.123456Z"); // 02:00 -> 03:00 in Berlin
    TimeZone zone = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("Europe/Berlin"));
    try {
      JdbcEventStore store =
          JdbcStores.builder(dialect(), dataSource)
              .serializer(JacksonEventSerializer.builder().type(WithdrawnV1.class, "w").build())
              .tablePrefix(prefix)
              .timeSource(ManualTimeSource.startingAt(at))
              .build()
              .createSchema();
      for (int batch = 0; batch < 6; batch++) {
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
          events.add(NewEvent.of(new WithdrawnV1(i)));
        }
        store.append("a", ExpectedVersion.any(), events);
      }

      assertThat(store.readAll(1, 6_000))
          .hasSize(6_000)
          .extracting(RecordedEvent::timestamp)
          .containsOnly(at);
    } finally {
      TimeZone.setDefault(zone);
    }
  }

  /** {@code createSchema()} is documented as safe on every start, so it must not move positions. */
  @Test
  void createSchemaOnTablesWithEventsKeepsTheirEventsAndPositions() {
    JacksonEventSerializer serializer =
        JacksonEventSerializer.builder().type(WithdrawnV1.class, "withdrawn.v1").build();
    store(serializer)
        .append(
            "a",
            ExpectedVersion.noStream(),
            List.of(NewEvent.of(new WithdrawnV1(1)), NewEvent.of(new WithdrawnV1(2))));

    JdbcEventStore restarted = store(serializer);

    assertThat(restarted.lastPosition()).isEqualTo(2);
    AppendResult next =
        restarted.append("b", ExpectedVersion.noStream(), List.of(NewEvent.of(new WithdrawnV1(3))));
    assertThat(next.firstPosition()).isEqualTo(3);
    assertThat(restarted.readAll(1, 10))
        .extracting(RecordedEvent::position)
        .containsExactly(1L, 2L, 3L);
  }

  @Test
  void anUnsafeTablePrefixIsRefusedBeforeAnySql() {
    assertThatThrownBy(() -> JdbcEventStore.h2(dataSource).tablePrefix("events; DROP TABLE x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("events; DROP TABLE x");
  }
}
