package dev.lintel.core.gateway;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.lintel.gateway.Headers;
import dev.lintel.gateway.Response;

/**
 * Teaches Jackson the JSON form of a {@link Response}, so that a response cache can keep responses
 * in a shared level (Redis) through the default {@code JacksonValueCodec}: {@code {"status": 200,
 * "headers": {"fields": [{"name": ..., "value": ...}]}, "body": "<base64>"}}. The public API
 * carries no Jackson annotations (sdk-api depends on nothing), so they live here as a mix-in.
 *
 * <p>Registered as a Jackson module service: a mapper built with {@code findAndAddModules()} (as
 * the SDK's default codec is) picks it up; register it yourself on a mapper of your own with {@code
 * mapper.registerModule(new GatewayJacksonModule())}. {@link Headers} needs nothing: it is a record
 * of records, which Jackson maps by default. Stateless and thread-safe.
 */
public final class GatewayJacksonModule extends SimpleModule {
  private static final long serialVersionUID = 1L;

  /** Creates the module; called by Jackson's service lookup. */
  public GatewayJacksonModule() {
    super("lintel-gateway");
    setMixInAnnotation(Response.class, ResponseMixIn.class);
  }

  /** Names the parts of a response for Jackson and makes it through {@link Response#of}. */
  abstract static class ResponseMixIn {

    @JsonCreator
    static Response of(
        @JsonProperty("status") int status,
        @JsonProperty("headers") Headers headers,
        @JsonProperty("body") byte[] body) {
      throw new AssertionError("a mix-in only carries annotations");
    }

    @JsonProperty("status")
    abstract int status();

    @JsonProperty("headers")
    abstract Headers headers();

    @JsonProperty("body")
    abstract byte[] body();
  }
}
