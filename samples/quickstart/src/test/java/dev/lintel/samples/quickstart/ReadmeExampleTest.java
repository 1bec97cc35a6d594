package dev.lintel.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's Java example is the compiled one between the markers in {@link QuickstartApp}. */
class ReadmeExampleTest {

  @Test
  void theReadmeShowsTheCompiledExample() throws IOException {
    String readme = Files.readString(Path.of("../../README.md"));
    Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertThat(block.find()).as("README has a Java example").isTrue();

    String app =
        Files.readString(Path.of("src/main/java/dev/lintel/samples/quickstart/QuickstartApp.java"));
    String compiled =
        app.substring(
            app.indexOf("// README example: start\n") + "// README example: start\n".length(),
            app.indexOf("    // README example: end"));

    assertThat(withoutIndentation(block.group(1))).isEqualTo(withoutIndentation(compiled));
  }

  private static String withoutIndentation(String code) {
    return code.lines().map(String::strip).collect(Collectors.joining("\n"));
  }
}
