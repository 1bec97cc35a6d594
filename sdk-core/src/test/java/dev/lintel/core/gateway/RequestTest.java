package dev.lintel.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.gateway.AttributeKey;
import dev.lintel.gateway.Headers;
import dev.lintel.gateway.Request;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestTest {
  private static final AttributeKey<String> TENANT = AttributeKey.of("test.tenant", String.class);
  private static final AttributeKey<Integer> TENANT_AS_NUMBER =
      AttributeKey.of("test.tenant", Integer.class);
  private static final AttributeKey<Map<String, Object>> CLAIMS =
      AttributeKey.of("test.claims", Map.class);

  @Test
  void attributesAreTypedAndKeysWithTheSameNameReachTheSameAttribute() {
    Request request =
        Request.of("GET", "/")
            .withAttribute(TENANT, "acme")
            .withAttribute(CLAIMS, Map.of("role", "admin"))
            .withAttribute(TENANT, "globex");

    String tenant = request.attribute(TENANT);
    assertThat(tenant).isEqualTo("globex");
    assertThat(request.attribute(AttributeKey.<String>of("test.tenant", String.class)))
        .isEqualTo("globex");
    assertThat(request.attribute(CLAIMS)).containsEntry("role", "admin");
    assertThat(request.attribute(AttributeKey.<String>of("test.other", String.class))).isNull();
  }

  @Test
  void aKeyOfTheWrongTypeFailsNamingTheAttribute() {
    Request request = Request.of("GET", "/").withAttribute(TENANT, "acme");

    assertThatThrownBy(() -> request.attribute(TENANT_AS_NUMBER))
        .isInstanceOf(ClassCastException.class)
        .hasMessageContaining("attribute 'test.tenant' holds a java.lang.String")
        .hasMessageContaining("not a java.lang.Integer");
    @SuppressWarnings({"unchecked", "rawtypes"})
    AttributeKey<Object> lying = (AttributeKey) TENANT;
    assertThatThrownBy(() -> request.withAttribute(lying, 42))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("attribute 'test.tenant' takes java.lang.String values")
        .hasMessageContaining("java.lang.Integer");
    assertThatThrownBy(() -> request.withAttribute(TENANT, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("test.tenant");
  }

  @Test
  void keyNamesMustBeVisibleTextAndTypesReferenceTypes() {
    assertThatThrownBy(() -> AttributeKey.of("", String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> AttributeKey.of("my key", String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'my key'")
        .hasMessageContaining("index 2");
    assertThatThrownBy(() -> AttributeKey.of("a\nb", String.class))
        .hasMessageContaining("'a?b'")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> AttributeKey.of("count", int.class))
        .hasMessageContaining("'count' needs a reference type");
    assertThat(AttributeKey.of("jwt.claims", Map.class).toString()).contains("jwt.claims");
  }

  @Test
  void theBodyIsCopiedInAndOut() {
    byte[] body = {1, 2};
    Request request = Request.of("POST", "/", Headers.of(), body, "10.0.0.1");

    body[0] = 9;
    request.body()[1] = 9;

    assertThat(request.body()).containsExactly(1, 2);
    assertThat(request.bodyLength()).isEqualTo(2);
  }

  @Test
  void requestsAreValuesAndToStringShowsNoSecrets() {
    Request request =
        Request.of(
                "GET",
                "/orders?token=secret",
                Headers.of("Authorization", "Bearer secret"),
                new byte[] {1},
                "10.0.0.1")
            .withPrincipal("ada")
            .withAttribute(TENANT, "acme");
    Request same =
        Request.of(
                "GET",
                "/orders?token=secret",
                Headers.of("authorization", "Bearer secret"),
                new byte[] {1},
                "10.0.0.1")
            .withAttribute(TENANT, "acme")
            .withPrincipal("ada");

    assertThat(request).isEqualTo(same).hasSameHashCodeAs(same);
    for (Request other :
        List.of(
            request.withPrincipal("bob"),
            request.withAttribute(TENANT, "globex"),
            request.withBody(new byte[] {2}),
            request.withHeader("Authorization", "Bearer other"),
            request.withPath("/other"))) {
      assertThat(other).isNotEqualTo(request);
    }
    assertThat(request.toString()).isEqualTo("Request[GET /orders]");
  }
}
