package dev.lintel.micrometer;

import dev.lintel.TimeSource;
import dev.lintel.core.gateway.JwtAuthFilter;
import dev.lintel.gateway.Filter;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's outermost filter: times every request by status ({@code lintel.gateway.requests},
 * tags {@code status} and {@code outcome}), counts rate-limited requests (429, {@code
 * lintel.gateway.rate.limited}) and bearer-token rejections by reason (401 with a {@code Bearer}
 * challenge, {@code lintel.gateway.jwt.rejections}). The reason is read from the challenge, so a
 * {@link JwtAuthFilter} counts wherever it runs (in a plugin too): its {@code error_description}
 * names one {@link JwtAuthFilter.Reason}, tagged with the reason's {@link
 * JwtAuthFilter.Reason#code() code}; another filter's challenge is tagged by its RFC 6750 error
 * ({@code invalid_request}, else {@code invalid_token}), or {@code missing_token} without one. A
 * request whose later filters throw is timed as status 500, and the exception is rethrown. Tags
 * take a bounded set of values. Thread-safe.
 */
final class GatewayMetricsFilter implements Filter {
  private static final Map<String, String> REASON_BY_DESCRIPTION = reasonByDescription();
  private final TimeSource time;
  private final LazyMeters<Integer, Timer> requests;
  private final LazyMeters<String, Counter> rateLimited;
  private final LazyMeters<String, Counter> jwtRejections;

  GatewayMetricsFilter(TimeSource time, MeterSink sink) {
    this.time = time;
    this.requests =
        new LazyMeters<>(
            sink,
            (status, registry) ->
                Timer.builder("lintel.gateway.requests")
                    .description("Requests through the gateway pipeline by status")
                    .tag("status", Integer.toString(status))
                    .tag("outcome", outcome(status))
                    .register(registry));
    this.rateLimited =
        new LazyMeters<>(
            sink,
            (unused, registry) ->
                Counter.builder("lintel.gateway.rate.limited")
                    .description("Requests refused with 429 by a rate limit")
                    .register(registry));
    this.jwtRejections =
        new LazyMeters<>(
            sink,
            (reason, registry) ->
                Counter.builder("lintel.gateway.jwt.rejections")
                    .description(
                        "Requests refused with 401 for a missing or invalid bearer token, by reason")
                    .tag("reason", reason)
                    .register(registry));
  }

  @Override
  public Response filter(Request request, Chain next) throws Exception {
    long start = time.nanoTime();
    int status = 500;
    try {
      Response response = next.proceed(request);
      status = response.status();
      countRejection(response);
      return response;
    } finally {
      long took = time.nanoTime() - start;
      for (Timer timer : requests.get(clamp(status))) {
        timer.record(took, TimeUnit.NANOSECONDS);
      }
    }
  }

  private void countRejection(Response response) {
    if (response.status() == 429) {
      increment(rateLimited.get("all"));
    } else if (response.status() == 401) {
      String challenge = response.header("WWW-Authenticate");
      if (challenge != null && challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
        increment(jwtRejections.get(reason(challenge)));
      }
    }
  }

  private static Map<String, String> reasonByDescription() {
    Map<String, String> reasons = new HashMap<>();
    for (JwtAuthFilter.Reason reason : JwtAuthFilter.Reason.values()) {
      reasons.put(reason.description(), reason.code());
    }
    return Map.copyOf(reasons);
  }

  /** One of the reasons' codes, {@code invalid_request} or {@code invalid_token}: a bounded set. */
  static String reason(String challenge) {
    String marker = "error_description=\"";
    int start = challenge.indexOf(marker);
    if (start >= 0) {
      int end = challenge.indexOf('"', start + marker.length());
      if (end > 0) {
        String code = REASON_BY_DESCRIPTION.get(challenge.substring(start + marker.length(), end));
        if (code != null) {
          return code;
        }
      }
    }
    if (challenge.contains("error=\"invalid_request\"")) {
      return "invalid_request";
    }
    return challenge.contains("error=") ? "invalid_token" : "missing_token";
  }

  private static void increment(List<Counter> counters) {
    for (Counter counter : counters) {
      counter.increment();
    }
  }

  /** Keeps the status tag within the valid HTTP range; anything else is tagged 500. */
  private static int clamp(int status) {
    return status >= 100 && status <= 599 ? status : 500;
  }

  private static String outcome(int status) {
    if (status < 200) {
      return "INFORMATIONAL";
    }
    if (status < 300) {
      return "SUCCESS";
    }
    if (status < 400) {
      return "REDIRECTION";
    }
    return status < 500 ? "CLIENT_ERROR" : "SERVER_ERROR";
  }
}
