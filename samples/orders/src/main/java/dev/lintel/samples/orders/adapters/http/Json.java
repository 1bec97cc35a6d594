package dev.lintel.samples.orders.adapters.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lintel.gateway.Headers;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Reads request bodies and writes responses as JSON. */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Headers CONTENT_TYPE =
      Headers.of("Content-Type", "application/json; charset=utf-8");

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /**
   * Reads the body as a JSON object.
   *
   * @throws BadRequestException if it is not one
   */
  static JsonNode body(Request request) {
    try {
      JsonNode body = MAPPER.readTree(request.body());
      if (body == null || !body.isObject()) {
        throw new BadRequestException("the body must be a JSON object");
      }
      return body;
    } catch (IOException e) {
      throw new BadRequestException("the body is not valid JSON");
    }
  }

  /**
   * Reads a required text field.
   *
   * @throws BadRequestException if it is missing or not text
   */
  static String text(JsonNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new BadRequestException("'" + field + "' must be a non-empty string");
    }
    return value.asText();
  }

  /**
   * Reads a required whole number.
   *
   * @throws BadRequestException if it is missing or not a whole number
   */
  static int integer(JsonNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
      throw new BadRequestException("'" + field + "' must be a whole number");
    }
    return value.asInt();
  }

  static Response response(int status, JsonNode body) {
    try {
      return Response.of(status, CONTENT_TYPE, MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Response error(int status, String message) {
    return response(status, object().put("error", message));
  }
}
