package dev.lintel.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The capability packages are shared by sdk-api and the implementation modules; only sdk-api may
 * carry their {@code package-info}, or the class path would pick one of several at random.
 */
class SplitPackageTest {

  @Test
  void eachSharedPackageHasExactlyOnePackageInfo() throws IOException {
    for (String pkg :
        List.of(
            "dev/lintel",
            "dev/lintel/cqrs",
            "dev/lintel/health",
            "dev/lintel/eventsourcing",
            "dev/lintel/cache",
            "dev/lintel/flags",
            "dev/lintel/plugin",
            "dev/lintel/gateway")) {
      List<URL> found =
          Collections.list(getClass().getClassLoader().getResources(pkg + "/package-info.class"));
      assertThat(found).as(pkg).hasSize(1);
      assertThat(found.get(0).toString()).as(pkg).contains("sdk-api");
    }
  }
}
