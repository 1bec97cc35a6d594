package dev.lintel.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.gateway.AttributeKey;
import dev.lintel.gateway.Headers;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TransformTest {

  @Test
  void theQueryStringIsSplitOffThePathAndDecodedOnRequest() {
    Request request = Request.of("GET", "/search?q=caf%C3%A9+au+lait&page=2&flag&bad=%zz");

    assertThat(request.path()).isEqualTo("/search");
    assertThat(request.query()).isEqualTo("q=caf%C3%A9+au+lait&page=2&flag&bad=%zz");
    assertThat(request.queryParameter("q")).isEqualTo("café au lait");
    assertThat(request.queryParameter("page")).isEqualTo("2");
    assertThat(request.queryParameter("flag")).isEmpty();
    assertThat(request.queryParameter("bad")).isEqualTo("%zz");
    assertThat(request.queryParameter("missing")).isNull();
    assertThat(Request.of("GET", "/plain").query()).isEmpty();
  }

  private static final AttributeKey<String> TRACE = AttributeKey.of("test.trace", String.class);

  @Test
  void copiesChangeOnePartAndKeepTheRestIncludingPrincipalAndAttributes() {
    Request original =
        Request.of(
                "POST",
                "/a?x=1",
                Headers.of("Content-Type", "text/plain", "Cookie", "s=1"),
                "body".getBytes(StandardCharsets.UTF_8),
                "10.0.0.7")
            .withPrincipal("ada")
            .withAttribute(TRACE, "t1");

    Request changed =
        original
            .withPath("/b")
            .withHeader("content-type", "application/json")
            .withoutHeader("COOKIE")
            .withBody("{}".getBytes(StandardCharsets.UTF_8));

    assertThat(changed.path()).isEqualTo("/b");
    assertThat(changed.query()).isEqualTo("x=1");
    assertThat(changed.header("Content-Type")).isEqualTo("application/json");
    assertThat(changed.header("cookie")).isNull();
    assertThat(new String(changed.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    assertThat(changed.principal()).isEqualTo("ada");
    assertThat(changed.attribute(TRACE)).isEqualTo("t1");
    assertThat(changed.remoteAddress()).isEqualTo("10.0.0.7");
    assertThat(original.path()).isEqualTo("/a");
    assertThat(original.header("Cookie")).isEqualTo("s=1");
    assertThatThrownBy(() -> original.withPath("/c?y=2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/c?y=2");
  }

  @Test
  void requestAndResponseTransformsRunAroundTheRestOfThePipeline() {
    Pipeline pipeline =
        Pipeline.builder()
            .filter(Transform.request(request -> request.withHeader("X-Tenant", "acme")))
            .filter(
                Transform.response(
                    (request, response) ->
                        response
                            .withHeader("X-Seen-Tenant", String.valueOf(request.header("X-Tenant")))
                            .withoutHeader("x-internal")))
            .route(
                "GET",
                "/legacy/orders/{id}",
                Transform.request(
                        request ->
                            request.withPath(
                                "/orders/" + request.attribute(Pipeline.pathParameter("id"))))
                    .around(
                        request ->
                            Response.ok(request.path() + " for " + request.header("X-Tenant"))
                                .withHeader("X-Internal", "secret")))
            .build();

    Response response = pipeline.handle(Request.of("GET", "/legacy/orders/42"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.bodyText()).isEqualTo("/orders/42 for acme");
    assertThat(response.header("x-seen-tenant")).isEqualTo("acme");
    assertThat(response.header("X-Internal")).isNull();
  }

  @Test
  void aTransformReturningNullFailsThatRequestWithA500() {
    Pipeline pipeline =
        Pipeline.builder()
            .filter(Transform.response((request, response) -> null))
            .route("GET", "/x", request -> Response.ok("x"))
            .build();

    assertThat(pipeline.handle(Request.of("GET", "/x")).status()).isEqualTo(500);
  }

  @Test
  void responseCopiesChangeStatusAndBody() {
    Response response = Response.ok("a").withStatus(201).withBody(new byte[] {'b'});

    assertThat(response.status()).isEqualTo(201);
    assertThat(response.bodyText()).isEqualTo("b");
    assertThat(response.header("content-type")).startsWith("text/plain");
    assertThatThrownBy(() -> response.withStatus(99))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("99");
  }

  @Test
  void aCopyNeverChangesTheOriginal() {
    Request original = Request.of("GET", "/a");

    Request copy =
        original
            .withHeader("X-Forwarded-Proto", "https")
            .withPrincipal("ada")
            .withAttribute(Pipeline.pathParameter("id"), "7");

    assertThat(copy.principal()).isEqualTo("ada");
    assertThat(copy.attribute(Pipeline.pathParameter("id"))).isEqualTo("7");
    assertThat(original.principal()).isNull();
    assertThat(original.attribute(Pipeline.pathParameter("id"))).isNull();
    assertThat(original.header("X-Forwarded-Proto")).isNull();
    assertThat(original).isEqualTo(Request.of("GET", "/a")).isNotEqualTo(copy);
  }

  @Test
  void methodsMustBeTokensAndTargetsHoldNoControlCharacters() {
    assertThatThrownBy(() -> Request.of("GE T", "/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("HTTP token");
    assertThatThrownBy(() -> Request.of("GET\r\nX", "/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> Request.of("GET", "/a\u001b[2J"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control character at index 2");
    assertThatThrownBy(() -> Request.of("GET", "/a").withPath("/b\tc"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Request.of("m-search", "/").method()).isEqualTo("M-SEARCH");
  }
}
