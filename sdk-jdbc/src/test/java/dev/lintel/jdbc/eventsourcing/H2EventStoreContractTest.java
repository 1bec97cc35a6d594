package dev.lintel.jdbc.eventsourcing;

import dev.lintel.eventsourcing.EventStore;
import dev.lintel.testing.EventStoreContract;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;

/** The event store contract on H2. */
class H2EventStoreContractTest extends EventStoreContract {
  private static final DataSource DATA_SOURCE = JdbcStores.h2().dataSource();
  private static final List<String> PREFIXES = new ArrayList<>();

  @Override
  protected EventStore store() {
    String prefix = JdbcStores.freshPrefix();
    PREFIXES.add(prefix);
    return JdbcStores.create(JdbcDialect.H2, DATA_SOURCE, prefix);
  }

  @AfterAll
  static void dropTables() {
    PREFIXES.forEach(prefix -> JdbcStores.dropTables(DATA_SOURCE, prefix));
  }
}
