package dev.lintel.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lintel.core.cache.JacksonValueCodec;
import dev.lintel.gateway.Headers;
import dev.lintel.gateway.Response;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseTest {

  @Test
  void theBodyIsCopiedInAndOutSoNoCallerCanChangeAResponse() {
    byte[] given = {1, 2, 3};
    Response response = Response.of(200, Headers.of(), given);

    given[0] = 9;
    response.body()[1] = 9;
    byte[] replacement = {4};
    Response changed = response.withBody(replacement);
    replacement[0] = 9;

    assertThat(response.body()).containsExactly(1, 2, 3);
    assertThat(response.bodyLength()).isEqualTo(3);
    assertThat(changed.body()).containsExactly(4);
  }

  @Test
  void headersMatchInAnyCaseAndMayHoldSeveralValues() {
    Response response =
        Response.ok("hi")
            .withHeaders(
                Response.ok("hi")
                    .headers()
                    .withAdded("Set-Cookie", "a=1")
                    .withAdded("set-cookie", "b=2"))
            .withHeader("content-type", "text/csv");

    assertThat(response.headers().values("SET-COOKIE")).containsExactly("a=1", "b=2");
    assertThat(response.headers().values("Content-Type")).containsExactly("text/csv");
    assertThat(response.header("CONTENT-TYPE")).isEqualTo("text/csv");
    assertThat(response.withoutHeader("SET-cookie").header("Set-Cookie")).isNull();
    assertThatThrownBy(() -> response.withHeader("Location", "/a\r\nX-Evil: 1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Location'");
  }

  @Test
  void responsesAreEqualByStatusHeadersAndBodyBytes() {
    Response response = Response.text(404, "no such order");

    assertThat(response)
        .isEqualTo(Response.text(404, "no such order"))
        .hasSameHashCodeAs(Response.text(404, "no such order"))
        .isNotEqualTo(Response.text(404, "no such orders"))
        .isNotEqualTo(response.withStatus(410))
        .isNotEqualTo(response.withHeader("X-A", "1"));
    assertThat(response.toString()).isEqualTo("Response[404, Headers[Content-Type], 13 bytes]");
    assertThatThrownBy(() -> Response.of(600, Headers.of(), new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("600");
  }

  @Test
  void aResponseSurvivesTheDefaultJsonCodecIntact() throws Exception {
    Response original =
        Response.of(
            203,
            Headers.of(
                "Content-Type", "application/json", "Vary", "Accept", "vary", "Accept-Language"),
            "{\"a\":\"\u00e9\u0000\"}".getBytes(StandardCharsets.UTF_8));
    JacksonValueCodec<Response> codec = JacksonValueCodec.of(Response.class);

    byte[] json = codec.encode(original);
    Response decoded = codec.decode(json);

    assertThat(decoded).isEqualTo(original);
    assertThat(decoded.headers().fields()).isEqualTo(original.headers().fields());
    assertThat(new String(json, StandardCharsets.UTF_8))
        .contains("\"status\":203")
        .contains("\"name\":\"vary\"");
    assertThatThrownBy(
            () ->
                codec.decode(
                    "{\"status\":99,\"headers\":{\"fields\":[]},\"body\":\"\"}"
                        .getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("99");
  }

  @Test
  void theModuleIsWhatLetsJacksonReadResponsesAndMappersFindItAsAService() throws Exception {
    String json = "{\"status\":200,\"headers\":{\"fields\":[]},\"body\":\"aGk=\"}";

    assertThatThrownBy(() -> JsonMapper.builder().build().readValue(json, Response.class))
        .hasMessageContaining(Response.class.getName());
    assertThat(JsonMapper.builder().findAndAddModules().build().getRegisteredModuleIds())
        .contains(new GatewayJacksonModule().getTypeId());
    JsonMapper withModule = JsonMapper.builder().addModule(new GatewayJacksonModule()).build();
    assertThat(withModule.readValue(json, Response.class).bodyText()).isEqualTo("hi");
  }
}
