package dev.lintel.eventsourcing;

import static dev.lintel.testing.Eventually.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.testing.JdbcServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a JDBC store does with the data it finds in its tables: old shapes upcast on read, types it
 * does not know, metadata that was corrupted by hand, and a table prefix that is not safe.
 */
class H2StoredDataTest {
  record WithdrawnV1(int amount) {}

  record WithdrawnV2(int amount, String currency) {}

  private final JdbcServer h2 = JdbcStores.h2();
  private final DataSource dataSource = h2.dataSource();
  private final String prefix = JdbcStores.freshPrefix();

  @AfterEach
  void dropTables() {
    JdbcStores.dropTables(dataSource, prefix);
  }

  private JdbcEventStore store(JacksonEventSerializer serializer) {
    return JdbcEventStore.h2(dataSource)
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
          "UPDATE " + new TableNames(prefix).events() + " SET metadata = '{broken'");
    }

    assertThatThrownBy(() -> store.readAll(1, 10))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("{broken");
    try (Subscription subscription = store.subscribeAll(1, event -> {})) {
      awaitTrue(() -> !subscription.isRunning(), "the subscription to stop");
      assertThat(subscription.failure()).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void anUnsafeTablePrefixIsRefusedBeforeAnySql() {
    assertThatThrownBy(() -> JdbcEventStore.h2(dataSource).tablePrefix("events; DROP TABLE x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("events; DROP TABLE x");
  }
}
