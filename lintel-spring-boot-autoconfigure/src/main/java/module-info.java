/**
 * Spring Boot 3 auto-configuration for a Lintel runtime. Spring Boot and the Lintel runtime are
 * required; JDBC, Redis, Micrometer and Actuator support is configured only when the host has them
 * (static requirements, used only by package-private configurations, so a host needs none of them
 * to compile). The package is opened to Spring, which creates the configuration beans reflectively.
 */
module dev.lintel.spring.boot.autoconfigure {
  requires transitive dev.lintel.core;
  requires transitive spring.boot;
  requires transitive spring.boot.autoconfigure;
  requires transitive spring.context;
  requires transitive spring.beans;
  requires transitive spring.core;
  requires spring.aop;
  requires java.sql;
  // Optional: the configurations that use them are not public API and load only when present.
  requires static dev.lintel.jdbc;
  requires static dev.lintel.redis;
  requires static dev.lintel.micrometer;
  requires static micrometer.core;
  requires static spring.boot.actuator;
  requires static spring.boot.actuator.autoconfigure;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.lintel.spring.boot.autoconfigure;

  opens dev.lintel.spring.boot.autoconfigure to
      spring.core,
      spring.beans,
      spring.context;
}
