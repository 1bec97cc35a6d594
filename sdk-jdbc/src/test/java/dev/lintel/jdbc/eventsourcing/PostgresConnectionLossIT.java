package dev.lintel.jdbc.eventsourcing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.eventsourcing.AppendResult;
import dev.lintel.eventsourcing.EventStoreException;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.testing.ContractEvents.Deposited;
import dev.lintel.testing.DelegatingDataSource;
import dev.lintel.testing.TestServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Appends whose connection dies midway: the caller gets an exception and nothing is committed. */
class PostgresConnectionLossIT {
  private final DataSource dataSource = TestServers.postgres().dataSource();
  private final String prefix = JdbcStores.freshPrefix();
  private final JdbcEventStore store = JdbcStores.create(JdbcDialect.POSTGRES, dataSource, prefix);

  @AfterEach
  void dropTables() {
    JdbcStores.dropTables(dataSource, prefix);
  }

  @Test
  void anAppendWhoseBackendIsKilledBeforeCommitLeavesNothingBehind() throws Exception {
    String stream = prefix + "killed";
    long before = store.lastPosition();
    Connection connection = dataSource.getConnection();
    connection.setAutoCommit(false);
    AppendResult pending =
        store.append(
            connection,
            stream,
            ExpectedVersion.noStream(),
            List.of(NewEvent.of(new Deposited("a", 1)), NewEvent.of(new Deposited("a", 2))));
    assertThat(pending.version()).isEqualTo(2);

    terminate(backendPid(connection));

    assertThatThrownBy(connection::commit).isInstanceOf(SQLException.class);
    assertThat(store.streamVersion(stream)).isZero();
    assertThat(store.readStream(stream, 1, 10)).isEmpty();
    assertThat(store.lastPosition()).isEqualTo(before);
    store.append(stream, ExpectedVersion.noStream(), List.of(NewEvent.of(new Deposited("a", 3))));
    assertThat(store.readAll(before + 1, 10))
        .extracting(RecordedEvent::position)
        .containsExactly(before + 1);
  }

  @Test
  void anAppendOnADeadConnectionThrowsAndWritesNothing() {
    String stream = prefix + "dead";
    DataSource dying =
        new DelegatingDataSource(dataSource) {
          @Override
          public Connection getConnection() throws SQLException {
            Connection connection = super.getConnection();
            terminate(backendPid(connection));
            return connection;
          }
        };
    JdbcEventStore onDyingConnections =
        JdbcEventStore.postgres(dying)
            .serializer(JdbcStores.contractSerializer())
            .tablePrefix(prefix)
            .build();

    assertThatThrownBy(
            () ->
                onDyingConnections.append(
                    stream, ExpectedVersion.any(), List.of(NewEvent.of(new Deposited("b", 1)))))
        .isInstanceOf(EventStoreException.class)
        .hasMessage("Append to stream '" + stream + "' failed; nothing was written")
        .hasCauseInstanceOf(SQLException.class);
    assertThat(store.streamVersion(stream)).isZero();
  }

  private static int backendPid(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()")) {
      pid.next();
      return pid.getInt(1);
    }
  }

  private void terminate(int pid) throws SQLException {
    try (Connection admin = dataSource.getConnection();
        PreparedStatement kill = admin.prepareStatement("SELECT pg_terminate_backend(?, 5000)")) {
      kill.setInt(1, pid);
      try (ResultSet done = kill.executeQuery()) {
        done.next();
        assertThat(done.getBoolean(1)).isTrue();
      }
    }
  }
}
