/**
 * The Lintel Spring Boot starter: it holds no code, only the dependencies a Spring Boot application
 * adds to get an auto-configured Lintel runtime ({@code dev.lintel.spring.boot.autoconfigure}).
 */
module dev.lintel.spring.boot.starter {
  requires transitive dev.lintel.spring.boot.autoconfigure;
}
