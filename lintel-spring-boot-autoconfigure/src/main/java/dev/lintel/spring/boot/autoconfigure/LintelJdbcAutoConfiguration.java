package dev.lintel.spring.boot.autoconfigure;

import dev.lintel.LintelException;
import dev.lintel.core.eventsourcing.EventSerializer;
import dev.lintel.core.eventsourcing.JacksonEventSerializer;
import dev.lintel.jdbc.eventsourcing.JdbcCheckpointStore;
import dev.lintel.jdbc.eventsourcing.JdbcEventStore;
import dev.lintel.jdbc.health.JdbcHealthCheck;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The JDBC event store and checkpoint store on the application's {@code DataSource}, when sdk-jdbc
 * is on the class path and there is one {@code DataSource}: the dialect is read from the connection
 * (PostgreSQL, MariaDB/MySQL or H2), the tables are created at startup unless {@code
 * lintel.event-store.create-schema=false}, and a JDBC health check joins the runtime's readiness.
 * Events are serialized with Jackson under their class names unless the application defines an
 * {@link EventSerializer} bean. Backs off when the application defines its own event store.
 */
@AutoConfiguration(
    afterName = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration")
@ConditionalOnClass(JdbcEventStore.class)
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnProperty(prefix = "lintel", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(LintelProperties.class)
class LintelJdbcAutoConfiguration {

  /** Creates the configuration; Spring calls it. */
  LintelJdbcAutoConfiguration() {}

  /**
   * The event store on the application's database.
   *
   * @param dataSource the application's data source
   * @param serializer the application's serializer, if any
   * @param properties the settings
   * @return the store, its tables created unless disabled
   */
  @Bean
  @ConditionalOnMissingBean(dev.lintel.eventsourcing.EventStore.class)
  @ConditionalOnProperty(prefix = "lintel.event-store", name = "enabled", matchIfMissing = true)
  public JdbcEventStore lintelEventStore(
      DataSource dataSource,
      ObjectProvider<EventSerializer> serializer,
      LintelProperties properties) {
    JdbcEventStore.Builder builder = dialect(dataSource);
    builder.serializer(
        serializer.getIfAvailable(
            () -> JacksonEventSerializer.builder().classNamesForUnregisteredTypes().build()));
    String prefix = properties.eventStore().tablePrefix();
    if (prefix != null) {
      builder.tablePrefix(prefix);
    }
    JdbcEventStore store = builder.build();
    return properties.eventStore().createSchema() ? store.createSchema() : store;
  }

  /**
   * The checkpoint store in the event store's tables.
   *
   * @param dataSource the application's data source
   * @param store the event store
   * @return the checkpoint store
   */
  @Bean
  @ConditionalOnBean(JdbcEventStore.class)
  @ConditionalOnMissingBean(dev.lintel.eventsourcing.CheckpointStore.class)
  public JdbcCheckpointStore lintelCheckpointStore(DataSource dataSource, JdbcEventStore store) {
    return JdbcCheckpointStore.sharing(dataSource, store);
  }

  /**
   * The database check in the runtime's readiness, named {@code database}.
   *
   * @param dataSource the application's data source
   * @return the check
   */
  @Bean
  public LintelHealthChecks lintelJdbcHealth(DataSource dataSource) {
    return new LintelHealthChecks(Map.of("database", JdbcHealthCheck.using(dataSource)));
  }

  private static JdbcEventStore.Builder dialect(DataSource dataSource) {
    String product;
    try (Connection connection = dataSource.getConnection()) {
      product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    } catch (SQLException e) {
      throw new LintelException("Cannot read which database the DataSource connects to", e);
    }
    if (product.contains("postgres")) {
      return JdbcEventStore.postgres(dataSource);
    }
    if (product.contains("mariadb") || product.contains("mysql")) {
      return JdbcEventStore.mariadb(dataSource);
    }
    if (product.contains("h2")) {
      return JdbcEventStore.h2(dataSource);
    }
    throw new LintelException(
        "Lintel's JDBC event store supports PostgreSQL, MariaDB/MySQL and H2, not '"
            + product
            + "'; define an EventStore bean or set lintel.event-store.enabled=false");
  }
}
