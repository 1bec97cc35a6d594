package dev.lintel.samples.orders.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the README's command runs: {@code --demo} imports, tours the API over HTTP and exits. */
class OrdersAppDemoIT {
  @TempDir Path data;

  @Test
  void theDemoSeesEveryAnswerItExpectsAndStops() throws Exception {
    String output = runMain("--demo", "--data=" + data);

    // main returned: it throws when an answer was not the expected one (marked "!!")
    assertThat(output).doesNotContain("!! ");
    assertThat(output)
        .contains("historic orders [########################] 1,000/1,000")
        .contains("980 imported  20 dead letters")
        .contains("breaker now open")
        .contains("Shutting down gracefully");

    String again = runMain("--demo", "--data=" + data);

    assertThat(again).contains("imported by an earlier run").doesNotContain("!! ");
  }

  private static String runMain(String... args) throws Exception {
    PrintStream console = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      OrdersApp.main(args);
    } finally {
      System.setOut(console);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    console.print(output);
    return output;
  }
}
