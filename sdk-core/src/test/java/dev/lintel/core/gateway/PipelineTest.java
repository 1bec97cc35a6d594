package dev.lintel.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.gateway.AttributeKey;
import dev.lintel.gateway.Headers;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import dev.lintel.testing.ManualTimeSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PipelineTest {

  @Test
  void filtersRunInOrderAroundTheRouteAndCanShortCircuit() {
    List<String> trace = new CopyOnWriteArrayList<>();
    Pipeline pipeline =
        Pipeline.builder()
            .filter(
                (request, next) -> {
                  trace.add("outer in");
                  Response response = next.proceed(request);
                  trace.add("outer out");
                  return response.withHeader("X-Outer", "1");
                })
            .filter(
                (request, next) ->
                    request.path().equals("/blocked")
                        ? Response.text(403, "no")
                        : next.proceed(request))
            .route(
                "GET",
                "/orders/{id}",
                request -> {
                  trace.add("handler");
                  return Response.ok("order " + request.attribute(Pipeline.pathParameter("id")));
                })
            .route("GET", "/blocked", request -> Response.ok("never"))
            .build();

    Response response = pipeline.handle(Request.of("GET", "/orders/42"));

    assertThat(response.bodyText()).isEqualTo("order 42");
    assertThat(response.header("X-Outer")).isEqualTo("1");
    assertThat(trace).containsExactly("outer in", "handler", "outer out");
    assertThat(pipeline.handle(Request.of("GET", "/blocked")).status()).isEqualTo(403);
  }

  @Test
  void unknownPathsAre404AndOtherMethods405() {
    Pipeline pipeline =
        Pipeline.builder().route("GET", "/orders", request -> Response.ok("list")).build();

    assertThat(pipeline.handle(Request.of("GET", "/nope")).status()).isEqualTo(404);
    assertThat(pipeline.handle(Request.of("DELETE", "/orders")).status()).isEqualTo(405);
    assertThat(pipeline.handle(Request.of("get", "/orders")).status()).isEqualTo(200);
  }

  @Test
  void versionedRoutesAnswerByPathPrefixOrHeader() {
    Pipeline pipeline =
        Pipeline.builder()
            .route(1, "GET", "/orders", request -> Response.ok("v1"))
            .route(2, "GET", "/orders", request -> Response.ok("v2"))
            .build();

    assertThat(pipeline.handle(Request.of("GET", "/v1/orders")).bodyText()).isEqualTo("v1");
    assertThat(pipeline.handle(Request.of("GET", "/v2/orders")).bodyText()).isEqualTo("v2");
    Request byHeader =
        Request.of("GET", "/orders", Headers.of("api-version", "2"), new byte[0], "10.0.0.1");
    assertThat(pipeline.handle(byHeader).bodyText()).isEqualTo("v2");
    assertThat(pipeline.handle(Request.of("GET", "/orders")).status()).isEqualTo(404);
  }

  @Test
  void anExceptionAnywhereIsA500WithoutDetails() {
    Pipeline pipeline =
        Pipeline.builder()
            .route(
                "GET",
                "/boom",
                request -> {
                  throw new IllegalStateException("secret detail");
                })
            .filter(
                (request, next) -> {
                  if (request.path().equals("/filter-boom")) {
                    throw new LinkageError("bad");
                  }
                  return next.proceed(request);
                })
            .build();

    Response response = pipeline.handle(Request.of("GET", "/boom"));
    assertThat(response.status()).isEqualTo(500);
    assertThat(response.bodyText()).startsWith("internal error").doesNotContain("secret");
    assertThat(pipeline.handle(Request.of("GET", "/filter-boom")).status()).isEqualTo(500);
  }

  @Test
  void aLiteralRouteWinsOverATemplateAndMethodsAreCheckedAcrossBoth() {
    Pipeline pipeline =
        Pipeline.builder()
            .route(
                "GET",
                "/orders/{id}",
                request -> Response.ok("order " + request.attribute(Pipeline.pathParameter("id"))))
            .route("GET", "/orders/new", request -> Response.ok("form"))
            .route("POST", "/orders/{id}", request -> Response.ok("updated"))
            .route("DELETE", "/orders", request -> Response.ok("all gone"))
            .build();

    assertThat(pipeline.handle(Request.of("GET", "/orders/new")).bodyText()).isEqualTo("form");
    assertThat(pipeline.handle(Request.of("GET", "/orders/7")).bodyText()).isEqualTo("order 7");
    assertThat(pipeline.handle(Request.of("POST", "/orders/new")).bodyText()).isEqualTo("updated");
    assertThat(pipeline.handle(Request.of("PUT", "/orders/new")).status()).isEqualTo(405);
    assertThat(pipeline.handle(Request.of("GET", "/orders")).status()).isEqualTo(405);
    assertThat(pipeline.handle(Request.of("GET", "/orders/")).status()).isEqualTo(404);
    assertThat(pipeline.handle(Request.of("DELETE", "/orders?all=true")).bodyText())
        .isEqualTo("all gone");
  }

  @Test
  void aVersionedRouteKeepsItsHeaderEvenBesideALiteralRouteOfTheSamePath() {
    Pipeline pipeline =
        Pipeline.builder()
            .route(2, "GET", "/orders", request -> Response.ok("v2"))
            .route("GET", "/orders", request -> Response.ok("legacy"))
            .build();
    Request byHeader =
        Request.of("GET", "/orders", Headers.of("Api-Version", "2"), new byte[0], "10.0.0.1");

    assertThat(pipeline.handle(byHeader).bodyText()).isEqualTo("v2");
    assertThat(pipeline.handle(Request.of("GET", "/v2/orders")).bodyText()).isEqualTo("v2");
    assertThat(pipeline.handle(Request.of("GET", "/orders")).bodyText()).isEqualTo("legacy");
  }

  @Test
  void pathParametersAreTypedAttributesOfTheRequestTheHandlerGets() {
    AtomicReference<Request> seen = new AtomicReference<>();
    Pipeline pipeline =
        Pipeline.builder()
            .route(
                "GET",
                "/shops/{shop}/orders/{id}",
                request -> {
                  seen.set(request);
                  return Response.ok("ok");
                })
            .build();
    Request sent = Request.of("GET", "/shops/s1/orders/42");

    pipeline.handle(sent);

    assertThat(seen.get().attribute(Pipeline.pathParameter("shop"))).isEqualTo("s1");
    AttributeKey<String> madeElsewhere = AttributeKey.of("path.id", String.class);
    assertThat(seen.get().attribute(madeElsewhere)).isEqualTo("42");
    assertThat(sent.attribute(Pipeline.pathParameter("id"))).as("the original").isNull();
    assertThatThrownBy(() -> Pipeline.builder().route("GET", "/a/{b c}", request -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("path.b c");
  }

  @Test
  void aFilterMayRunTheRestOfThePipelineAgain() {
    AtomicInteger calls = new AtomicInteger();
    Pipeline pipeline =
        Pipeline.builder()
            .filter(
                (request, next) -> {
                  Response first = next.proceed(request);
                  return first.status() == 503 ? next.proceed(request) : first;
                })
            .filter((request, next) -> next.proceed(request.withHeader("X-Seen", "yes")))
            .route(
                "GET",
                "/flaky",
                request ->
                    calls.incrementAndGet() == 1
                        ? Response.text(503, "try again")
                        : Response.ok("second try, " + request.header("X-Seen")))
            .build();

    assertThat(pipeline.handle(Request.of("GET", "/flaky")).bodyText())
        .isEqualTo("second try, yes");
    assertThat(calls).hasValue(2);
  }

  @Test
  void theRateLimitTheBreakerAndTheAccessLogShareTheOneArrivalReading() {
    TestTimeSources.Counting time = new TestTimeSources.Counting(ManualTimeSource.create());
    Pipeline pipeline =
        Pipeline.builder()
            .timeSource(time)
            .filter(RequestLogFilter.to(PipelineTest.class.getName()))
            .filter(RateLimitFilter.keyedBy(10, 1.0, request -> "k", TestTimeSources.unread()))
            .route(
                "GET", "/stock", CircuitBreakingHandler.of("stock", request -> Response.ok("42")))
            .build();

    assertThat(pipeline.handle(Request.of("GET", "/stock")).bodyText()).isEqualTo("42");

    // The arrival, then the ends of the breaker's and the access log's durations. Each of the
    // three reading a start of its own would make six.
    assertThat(time.reads()).isEqualTo(3);
  }
}
