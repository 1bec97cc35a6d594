package dev.lintel.jdbc.eventsourcing;

import com.zaxxer.hikari.HikariDataSource;
import dev.lintel.eventsourcing.EventStore;
import dev.lintel.testing.EventStoreContract;
import dev.lintel.testing.TestServers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/** The event store contract on Postgres, through a small pool as a host would use it. */
class PostgresEventStoreContractIT extends EventStoreContract {
  private static final HikariDataSource DATA_SOURCE =
      JdbcStores.pooled(TestServers.postgres(), 17, "contract");
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
    DATA_SOURCE.close();
  }
}
