package dev.lintel.core.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lintel.health.HealthReport;
import dev.lintel.health.HealthReport.CheckOutcome;
import java.util.Locale;

/**
 * Renders a {@link HealthReport} as JSON, the shape health endpoints serve:
 *
 * <pre>{@code
 * {"group":"readiness","status":"DOWN","checks":[
 *   {"name":"postgres","status":"DOWN","durationMs":100.2,"detail":"timed out: no answer within 100 ms"}]}
 * }</pre>
 *
 * Thread-safe.
 */
public final class HealthJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private HealthJson() {}

  /**
   * Renders the report.
   *
   * @param report the report
   * @return its JSON text
   */
  public static String render(HealthReport report) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("group", report.group().name().toLowerCase(Locale.ROOT));
    root.put("status", report.status().name());
    ArrayNode checks = root.putArray("checks");
    for (CheckOutcome outcome : report.checks()) {
      ObjectNode check = checks.addObject();
      check.put("name", outcome.name());
      check.put("status", outcome.status().name());
      check.put("durationMs", Math.round(outcome.duration().toNanos() / 1_000.0) / 1_000.0);
      check.put("detail", outcome.detail());
    }
    return root.toString();
  }
}
