package dev.lintel.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.gateway.Headers;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RequestLogFilterTest {
  private final Pipeline pipeline =
      Pipeline.builder()
          .filter(RequestLogFilter.to(RequestLogFilterTest.class.getName()))
          .filter(new TrustedUserHeader())
          .filter(
              (request, next) -> { // a principal with control characters, as a token's sub may be
                String as = request.queryParameter("as");
                return next.proceed(as == null ? request : request.withPrincipal(as));
              })
          .route(
              "GET",
              "/orders/{id}",
              request ->
                  Response.ok("id " + request.attribute(RequestLogFilter.REQUEST_ID_ATTRIBUTE)))
          .route(
              "GET",
              "/boom",
              request -> {
                throw new IllegalStateException("down");
              })
          .build();

  private static Request get(String path, String... headers) {
    return Request.of("GET", path, Headers.of(headers), new byte[0], "10.0.0.1");
  }

  /** Runs the action with standard output captured (slf4j-simple writes there in these tests). */
  private static String logOf(Supplier<Response> action, AtomicReference<Response> response) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      response.set(action.get());
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aSafeIncomingRequestIdIsKeptInTheMdcTheLogAndTheResponse() {
    AtomicReference<Response> response = new AtomicReference<>();
    String log =
        logOf(
            () ->
                pipeline.handle(
                    get("/orders/7?token=secret", "X-Request-Id", "abc-123", "X-User", "ada")),
            response);

    assertThat(response.get().bodyText()).isEqualTo("id abc-123");
    assertThat(response.get().header("X-Request-Id")).isEqualTo("abc-123");
    assertThat(log)
        .contains("GET /orders/7 200 in ")
        .contains("principal ada, request abc-123")
        .doesNotContain("secret");
  }

  @Test
  void anUnsafeOrMissingRequestIdIsReplacedAndControlCharactersNeverReachTheLog() {
    AtomicReference<Response> response = new AtomicReference<>();
    String log =
        logOf(
            () ->
                pipeline.handle(
                    get("/orders/8?as=eve%0AGET+/admin+200", "X-Request-Id", "x\tFAKE LINE")),
            response);

    String id = response.get().header("X-Request-Id");
    assertThat(id).matches("[0-9a-f-]{36}");
    assertThat(response.get().bodyText()).isEqualTo("id " + id);
    assertThat(log).contains("principal eve?GET /admin 200, request " + id);
    assertThat(log.lines()).noneMatch(line -> line.startsWith("FAKE") || line.startsWith("GET"));

    String other = pipeline.handle(get("/orders/9")).header("X-Request-Id");
    assertThat(other).isNotEqualTo(id).matches("[0-9a-f-]{36}");
  }

  @Test
  void aFailingRequestIsLoggedAndStillAnsweredByThePipeline() {
    AtomicReference<Response> response = new AtomicReference<>();
    String log = logOf(() -> pipeline.handle(get("/boom")), response);

    assertThat(response.get().status()).isEqualTo(500);
    assertThat(log).contains("GET /boom failed (IllegalStateException)");
  }

  @Test
  void theLogNamesThePrincipalAFilterFurtherInAttachedEvenWhenARefusalFollows() {
    Pipeline refusing =
        Pipeline.builder()
            .filter(RequestLogFilter.to(RequestLogFilterTest.class.getName()))
            .filter(new TrustedUserHeader())
            .filter((request, next) -> Response.text(403, "forbidden"))
            .route("GET", "/admin", request -> Response.ok("never"))
            .build();
    AtomicReference<Response> response = new AtomicReference<>();

    String log = logOf(() -> refusing.handle(get("/admin", "X-User", "ada")), response);

    assertThat(response.get().status()).isEqualTo(403);
    assertThat(log).contains("GET /admin 403 in ").contains("(principal ada, request ");
  }

  @Test
  void aFilterCallingItsOwnPipelineAgainLeavesTheOuterRequestItsOwnPrincipal() {
    AtomicReference<Pipeline> self = new AtomicReference<>();
    Pipeline pipeline =
        Pipeline.builder()
            .filter(RequestLogFilter.to(RequestLogFilterTest.class.getName()))
            .filter(new TrustedUserHeader())
            .filter(
                (request, next) -> {
                  Response response = next.proceed(request);
                  if (request.path().equals("/orders")) { // a sub-request on the same thread
                    Response stock = self.get().handle(get("/stock", "X-User", "bob"));
                    return response.withHeader("X-Stock", stock.bodyText());
                  }
                  return response;
                })
            .route("GET", "/orders", request -> Response.ok("orders for " + request.principal()))
            .route("GET", "/stock", request -> Response.ok("stock for " + request.principal()))
            .build();
    self.set(pipeline);
    AtomicReference<Response> response = new AtomicReference<>();

    String log = logOf(() -> pipeline.handle(get("/orders", "X-User", "ada")), response);

    assertThat(response.get().bodyText()).isEqualTo("orders for ada");
    assertThat(response.get().header("X-Stock")).isEqualTo("stock for bob");
    assertThat(log)
        .containsPattern("GET /stock 200 in .*\\(principal bob, request ")
        .containsPattern("GET /orders 200 in .*\\(principal ada, request ");
  }
}
