package dev.lintel.samples.orders;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.onionArchitecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The dependency rule of the hexagon: dependencies point inward. The domain knows nothing but the
 * JDK; the application knows the domain (and Lintel's command and query contracts, the vocabulary
 * its buses carry); adapters know the application and domain but not each other; only bootstrap
 * sees everything.
 */
class HexagonalArchitectureTest {
  private static final String ROOT = "dev.lintel.samples.orders";
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(ROOT);

  @Test
  void layersDependInwardAndAdaptersIgnoreEachOther() {
    onionArchitecture()
        .domainModels(ROOT + ".domain..")
        .applicationServices(ROOT + ".application..")
        .adapter("persistence", ROOT + ".adapters.persistence..")
        .adapter("customers", ROOT + ".adapters.customers..")
        .adapter("flags", ROOT + ".adapters.flags..")
        .adapter("shipping", ROOT + ".adapters.shipping..")
        .adapter("http", ROOT + ".adapters.http..")
        .adapter("importer", ROOT + ".adapters.importer..")
        .withOptionalLayers(true)
        // bootstrap is the composition root, outside the onion: it wires every layer
        .ignoreDependency(resideInAPackage(ROOT + ".bootstrap.."), DescribedPredicate.alwaysTrue())
        .check(CLASSES);
  }

  @Test
  void theDomainUsesOnlyTheJdk() {
    classes()
        .that()
        .resideInAPackage(ROOT + ".domain..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(ROOT + ".domain..", "java..", "org.jspecify..")
        .check(CLASSES);
  }

  @Test
  void theApplicationUsesOnlyTheDomainAndTheBusContracts() {
    classes()
        .that()
        .resideInAPackage(ROOT + ".application..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            ROOT + ".application..",
            ROOT + ".domain..",
            "dev.lintel.cqrs",
            "java..",
            "org.jspecify..")
        .check(CLASSES);
  }

  @Test
  void onlyBootstrapKnowsBootstrap() {
    noClasses()
        .that()
        .resideOutsideOfPackage(ROOT + ".bootstrap..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(ROOT + ".bootstrap..")
        .check(CLASSES);
  }
}
