package dev.lintel.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.lintel.LintelException;
import dev.lintel.core.Lintel;
import dev.lintel.jdbc.health.JdbcHealthCheck;
import dev.lintel.micrometer.LintelMetrics;
import dev.lintel.openfeature.LintelProvider;
import dev.lintel.redis.health.RedisHealthCheck;
import dev.lintel.spring.boot.autoconfigure.LintelAutoConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries of ARCHITECTURE.md, checked on the compiled classes of each published
 * module (each imported from its own jar or classes folder, so split packages are told apart by
 * module).
 */
class ArchitectureTest {
  private static final Map<String, Class<?>> MODULES =
      Map.of(
          "sdk-api", LintelException.class,
          "sdk-core", Lintel.class,
          "sdk-redis", RedisHealthCheck.class,
          "sdk-jdbc", JdbcHealthCheck.class,
          "sdk-micrometer", LintelMetrics.class,
          "sdk-openfeature", LintelProvider.class,
          "lintel-spring-boot-autoconfigure", LintelAutoConfiguration.class);

  /** Each implementation module and the one package root all its classes live under. */
  private static final Map<String, String> ROOTS =
      Map.of(
          "sdk-core", "dev.lintel.core",
          "sdk-redis", "dev.lintel.redis",
          "sdk-jdbc", "dev.lintel.jdbc",
          "sdk-micrometer", "dev.lintel.micrometer",
          "sdk-openfeature", "dev.lintel.openfeature",
          "lintel-spring-boot-autoconfigure", "dev.lintel.spring.boot.autoconfigure");

  /** The libraries only the optional integration modules may use. */
  private static final String[] INTEGRATION_LIBRARIES = {
    "io.micrometer..", "dev.openfeature..", "org.springframework.."
  };

  @Test
  void apiDependsOnNothingButTheJdkAndAnnotations() {
    noClasses()
        .should()
        .dependOnClassesThat(
            DescribedPredicate.describe(
                "are outside java.*, dev.lintel.* and org.jspecify.*",
                type ->
                    !type.isPrimitive()
                        && !type.isArray()
                        && !type.getPackageName().startsWith("java.")
                        && !type.getPackageName().startsWith("dev.lintel")
                        && !type.getPackageName().startsWith("org.jspecify")))
        .check(module("sdk-api"));
  }

  @Test
  void apiDependsOnNoImplementationModule() {
    JavaClasses api = module("sdk-api");
    List<String> others = new ArrayList<>();
    for (String name : ROOTS.keySet()) {
      module(name).forEach(type -> others.add(type.getName()));
    }
    noClasses()
        .should()
        .dependOnClassesThat(
            DescribedPredicate.describe(
                "belong to an implementation module", type -> others.contains(type.getName())))
        .check(api);
  }

  @Test
  void coreImportsNeitherLettuceNorJdbc() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.lettuce..", "java.sql..", "javax.sql..")
        .check(module("sdk-core"));
  }

  @Test
  void apiAndCoreUseNoIntegrationLibraryNorIntegrationModule() {
    for (String name : List.of("sdk-api", "sdk-core", "sdk-redis", "sdk-jdbc")) {
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(INTEGRATION_LIBRARIES)
          .as(name + " must not use Micrometer, OpenFeature or Spring")
          .check(module(name));
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.lintel.micrometer..", "dev.lintel.openfeature..", "dev.lintel.spring..")
          .as(name + " must not use an integration module")
          .check(module(name));
    }
  }

  @Test
  void noModuleReachesIntoAnotherModulesInternalPackage() {
    for (String name : MODULES.keySet()) {
      JavaClasses own = module(name);
      List<String> ownClasses = own.stream().map(JavaClass::getName).collect(Collectors.toList());
      ArchRule rule =
          noClasses()
              .should()
              .dependOnClassesThat(
                  DescribedPredicate.describe(
                      "are in an internal package of another module",
                      type ->
                          type.getPackageName().contains(".internal")
                              && !ownClasses.contains(type.getName())))
              .as(name + " must not use another module's internal package");
      rule.check(own);
    }
  }

  @Test
  void everyPackageLivesInExactlyOneModule() {
    Map<String, String> owners = new TreeMap<>();
    for (String name : MODULES.keySet()) {
      for (String pkg : module(name).stream().map(JavaClass::getPackageName).distinct().toList()) {
        String other = owners.put(pkg, name);
        assertThat(other).as("package " + pkg + " is in " + other + " and " + name).isNull();
      }
    }
  }

  @Test
  void implementationPackagesLiveUnderTheirModulesRoot() {
    ROOTS.forEach(
        (name, root) ->
            module(name)
                .forEach(
                    type ->
                        assertThat(type.getPackageName())
                            .as(type.getName() + " in " + name)
                            .satisfiesAnyOf(
                                pkg -> assertThat(pkg).isEqualTo(root),
                                pkg -> assertThat(pkg).startsWith(root + "."))));
    module("sdk-api")
        .forEach(
            type ->
                assertThat(type.getPackageName())
                    .as(type.getName() + " in sdk-api")
                    .satisfies(
                        pkg ->
                            ROOTS
                                .values()
                                .forEach(root -> assertThat(pkg).doesNotStartWith(root))));
  }

  @Test
  void everyModuleWasFoundAndImported() {
    for (String name : MODULES.keySet()) {
      assertThat(module(name)).as(name).isNotEmpty();
    }
  }

  private static JavaClasses module(String name) {
    Path location = location(MODULES.get(name));
    ClassFileImporter importer = new ClassFileImporter();
    if (Files.isDirectory(location)) {
      return importer.importPath(location);
    }
    try (JarFile jar = new JarFile(location.toFile())) {
      return importer.importJar(jar);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + location, e);
    }
  }

  private static Path location(Class<?> type) {
    URL url = type.getProtectionDomain().getCodeSource().getLocation();
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate " + type, e);
    }
  }
}
