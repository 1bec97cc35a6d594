package dev.lintel.jdbc.eventsourcing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.eventsourcing.AppendResult;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.eventsourcing.WrongExpectedVersionException;
import dev.lintel.testing.ContractEvents.Deposited;
import dev.lintel.testing.TestServers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PostgresSchemaVersionIT extends SchemaVersionProof {
  private final DataSource dataSource = TestServers.postgres().dataSource();
  private final String ownPrefix = JdbcStores.freshPrefix();

  @Override
  JdbcDialect dialect() {
    return JdbcDialect.POSTGRES;
  }

  @Override
  DataSource dataSource() {
    return dataSource;
  }

  @AfterEach
  void dropOwnTables() {
    JdbcStores.dropTables(dataSource, ownPrefix);
  }

  /**
   * Tables of this schema version made by the release before the one-batch function: a lone append
   * falls back to the group function (after a warning) and keeps every guarantee.
   */
  @Test
  void withoutTheOneBatchFunctionALoneAppendGoesThroughTheGroupFunction() throws SQLException {
    JdbcEventStore store =
        JdbcStores.builder(JdbcDialect.POSTGRES, dataSource)
            .serializer(JdbcStores.contractSerializer())
            .tablePrefix(ownPrefix)
            .build();
    store.createSchema();
    AppendResult first =
        store.append(
            "acct-1", ExpectedVersion.noStream(), List.of(NewEvent.of(new Deposited("a", 1))));
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "DROP FUNCTION "
              + new TableNames(ownPrefix).appendOneFunction()
              + "(VARCHAR, BIGINT, UUID[], VARCHAR[], TEXT[], TEXT[], TIMESTAMPTZ, INT, TEXT)");
    }

    AppendResult second =
        store.append(
            "acct-1", ExpectedVersion.exactly(1), List.of(NewEvent.of(new Deposited("a", 2))));
    assertThatThrownBy(
            () ->
                store.append(
                    "acct-1",
                    ExpectedVersion.exactly(1),
                    List.of(NewEvent.of(new Deposited("a", 3)))))
        .isInstanceOf(WrongExpectedVersionException.class);

    assertThat(first.lastPosition()).isEqualTo(1);
    assertThat(second.version()).isEqualTo(2);
    assertThat(second.lastPosition()).isEqualTo(2);
    assertThat(store.readStream("acct-1", 1, 10))
        .extracting(RecordedEvent::position)
        .containsExactly(1L, 2L);
  }
}
