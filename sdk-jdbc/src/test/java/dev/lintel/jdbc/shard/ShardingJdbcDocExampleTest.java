package dev.lintel.jdbc.shard;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.lintel.core.eventsourcing.JacksonEventSerializer;
import dev.lintel.core.shard.ShardKeyCodec;
import dev.lintel.core.shard.ShardRouters;
import dev.lintel.core.shard.ShardedEventStore;
import dev.lintel.core.shard.TopologyWatcher;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.jdbc.eventsourcing.JdbcEventStore;
import dev.lintel.shard.Shard;
import dev.lintel.shard.ShardRouter;
import dev.lintel.shard.ShardStrategy;
import dev.lintel.shard.Topology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The examples of docs/sharding.md for sdk-jdbc, compiled and run on H2: a topology in a JDBC store
 * followed by a watcher, writes through a {@code ShardWriter} with a secondary lookup, a rebalance
 * from three shards to four, and a sharded event store.
 */
class ShardingJdbcDocExampleTest {
  private final List<HikariDataSource> pools = new ArrayList<>();

  @AfterEach
  void close() {
    pools.forEach(HikariDataSource::close);
  }

  /** A placed order, the event of the sharded event store example. */
  record OrderPlaced(String order, int amount) {}

  @Test
  void theDocumentedExamplesRun() throws SQLException {
    HikariDataSource controlPool = pool();
    HikariDataSource pool0 = pool();
    HikariDataSource pool1 = pool();
    HikariDataSource pool2 = pool();
    HikariDataSource pool3 = pool();
    for (HikariDataSource pool : List.of(pool0, pool1, pool2, pool3)) {
      ShardDatabases.execute(
          pool, "CREATE TABLE accounts (id BIGINT PRIMARY KEY, email VARCHAR(100), balance INT)");
    }
    List<Shard> threeShards =
        List.of(Shard.of("s0", "db0"), Shard.of("s1", "db1"), Shard.of("s2", "db2"));
    List<Shard> fourShards = new ArrayList<>(threeShards);
    fourShards.add(Shard.of("s3", "db3"));
    Topology v1 = Topology.of(1, threeShards, ShardStrategy.jump("s0", "s1", "s2"));

    // The topology store and its watcher
    JdbcTopologyStore store =
        JdbcTopologyStore.builder(controlPool).keyspace("accounts").build().createSchema();
    store.publish(v1);
    try (TopologyWatcher<Long> watcher =
        TopologyWatcher.start(
            store, t -> ShardRouters.create(t, ShardKeyCodec.longs()), Duration.ofSeconds(1))) {

      // Writes through the ShardWriter, with a secondary lookup by email
      ShardWriter<Long> writer =
          ShardWriter.builder(watcher, ShardKeyColumn.longs())
              .keyspace("accounts")
              .dataSource("db0", pool0)
              .dataSource("db1", pool1)
              .dataSource("db2", pool2)
              .dataSource("db3", pool3)
              .build();
      ShardLookup<Long> emails =
          ShardLookup.builder("emails", watcher, ShardKeyColumn.longs())
              .global(controlPool)
              .dataSource("db0", pool0)
              .dataSource("db1", pool1)
              .dataSource("db2", pool2)
              .dataSource("db3", pool3)
              .build()
              .createTables()
              .createLocalTable(pool3);
      for (long accountId = 1; accountId <= 100; accountId++) {
        long id = accountId;
        String email = "user" + id + "@example.com";
        writer.write(
            id,
            connection -> {
              insertAccount(connection, id, email);
              emails.put(connection, email, id); // in the account's own transaction
              return null;
            });
      }
      writer.write(42L, connection -> updateBalance(connection, 42L, 10));

      // Moving data: three shards to four
      Rebalancer<Long> rebalancer =
          Rebalancer.builder(
                  store, ShardKeyColumn.longs(), t -> ShardRouters.create(t, ShardKeyCodec.longs()))
              .keyspace("accounts")
              .control(controlPool)
              .dataSource("db0", pool0)
              .dataSource("db1", pool1)
              .dataSource("db2", pool2)
              .dataSource("db3", pool3)
              .table(ShardedTable.of("accounts", "id", ShardKeyColumn.longs()))
              .table(emails.localTable()) // a lookup table moves with its owners
              .deleteGrace(Duration.ZERO)
              .listener(progress -> {}) // step, rows done, rate, ETA
              .build();
      rebalancer.run(v1.next(fourShards, ShardStrategy.jump("s0", "s1", "s2", "s3")));

      Optional<Integer> balance =
          emails.onShardOf("user42@example.com", (connection, id) -> balance(connection, id));
      assertThat(balance).contains(10);
      assertThat(watcher.refresh().topology().version()).isEqualTo(2);
    }

    // The sharded event store
    ShardRouter<String> streams =
        ShardRouters.create(
            Topology.of(1, List.of(Shard.of("s0"), Shard.of("s1")), ShardStrategy.jump("s0", "s1")),
            ShardKeyCodec.strings());
    JacksonEventSerializer serializer =
        JacksonEventSerializer.builder().type(OrderPlaced.class, "order-placed").build();
    ShardedEventStore events =
        ShardedEventStore.builder(streams)
            .store("s0", JdbcEventStore.h2(pool0).serializer(serializer).build().createSchema())
            .store("s1", JdbcEventStore.h2(pool1).serializer(serializer).build().createSchema())
            .build();
    events.append(
        "order-42", ExpectedVersion.noStream(), List.of(NewEvent.of(new OrderPlaced("42", 5))));
    String shard = events.shardOf("order-42");
    List<RecordedEvent> page = events.readAll(shard, 1, 500);
    assertThat(page).extracting(RecordedEvent::stream).containsExactly("order-42");
  }

  private HikariDataSource pool() {
    HikariDataSource pool = ShardDatabases.pooled(ShardDatabases.h2(), 4);
    pools.add(pool);
    return pool;
  }

  private static Void insertAccount(Connection connection, long id, String email)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO accounts (id, email, balance) VALUES (?, ?, 0)")) {
      insert.setLong(1, id);
      insert.setString(2, email);
      insert.executeUpdate();
    }
    return null;
  }

  private static Void updateBalance(Connection connection, long id, int amount)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement("UPDATE accounts SET balance = balance + ? WHERE id = ?")) {
      update.setInt(1, amount);
      update.setLong(2, id);
      update.executeUpdate();
    }
    return null;
  }

  private static Integer balance(Connection connection, long id) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT balance FROM accounts WHERE id = ?")) {
      select.setLong(1, id);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getInt(1);
      }
    }
  }
}
