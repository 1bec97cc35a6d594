package dev.lintel.eventsourcing;

import dev.lintel.testing.EventStoreContract;
import dev.lintel.testing.TestServers;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;

/** The event store contract on Postgres. */
class PostgresEventStoreContractIT extends EventStoreContract {
  private static final DataSource DATA_SOURCE = TestServers.postgres().dataSource();
  private static final List<String> PREFIXES = new ArrayList<>();

  @Override
  protected EventStore store() {
    String prefix = JdbcStores.freshPrefix();
    PREFIXES.add(prefix);
    return JdbcStores.create(JdbcDialect.POSTGRES, DATA_SOURCE, prefix);
  }

  @AfterAll
  static void dropTables() {
    PREFIXES.forEach(prefix -> JdbcStores.dropTables(DATA_SOURCE, prefix));
  }
}
