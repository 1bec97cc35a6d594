package dev.lintel.samples.orders.bootstrap;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lintel.jdbc.eventsourcing.JdbcEventStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The connection pools: the main database (events, snapshots, checkpoints, read model, e-mail
 * lookup) and the customer shards. Embedded, these are H2 files in the data directory; configured,
 * any JDBC URLs (PostgreSQL in the docs and tests).
 */
final class Databases implements AutoCloseable {
  private final HikariDataSource main;
  private final List<HikariDataSource> shards;
  private final boolean postgres;

  private Databases(HikariDataSource main, List<HikariDataSource> shards, boolean postgres) {
    this.main = main;
    this.shards = shards;
    this.postgres = postgres;
  }

  static Databases open(OrdersConfig config) {
    String mainUrl = config.databaseUrl();
    List<String> shardUrls = new ArrayList<>(config.shardUrls());
    if (mainUrl == null) {
      mainUrl = h2(config.dataDirectory().resolve("orders"));
    }
    if (shardUrls.isEmpty()) {
      shardUrls.add(h2(config.dataDirectory().resolve("customers-0")));
      shardUrls.add(h2(config.dataDirectory().resolve("customers-1")));
    }
    List<HikariDataSource> shards = new ArrayList<>();
    for (int i = 0; i < shardUrls.size(); i++) {
      // 8: a registration holds one connection and, racing another for its address, borrows one on
      // the other shard for the unique e-mail lookup's check
      shards.add(pool("customers-" + i, shardUrls.get(i), config, 8));
    }
    return new Databases(
        pool("orders", mainUrl, config, 16), shards, mainUrl.startsWith("jdbc:postgresql:"));
  }

  private static String h2(Path file) {
    return "jdbc:h2:file:" + file.toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
  }

  private static HikariDataSource pool(String name, String url, OrdersConfig config, int size) {
    HikariConfig pool = new HikariConfig();
    pool.setPoolName(name);
    pool.setJdbcUrl(url);
    pool.setUsername(config.databaseUser());
    pool.setPassword(config.databasePassword());
    pool.setMaximumPoolSize(size);
    return new HikariDataSource(pool);
  }

  DataSource main() {
    return main;
  }

  List<DataSource> shards() {
    return List.copyOf(shards);
  }

  /** An event store builder of the main database's dialect. */
  JdbcEventStore.Builder eventStore() {
    return postgres ? JdbcEventStore.postgres(main) : JdbcEventStore.h2(main);
  }

  @Override
  public void close() {
    shards.forEach(HikariDataSource::close);
    main.close();
  }
}
