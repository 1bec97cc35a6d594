package dev.lintel.openfeature;

import static dev.lintel.testing.Eventually.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.LintelException;
import dev.lintel.Registration;
import dev.lintel.core.flags.Flags;
import dev.lintel.core.flags.InMemoryFlagStore;
import dev.lintel.flags.Flag;
import dev.lintel.flags.FlagContext;
import dev.lintel.flags.FlagStore;
import dev.lintel.flags.Variant;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EventDetails;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The provider through the OpenFeature client API, on the in-memory flag store. */
class LintelProviderTest {
  private final InMemoryFlagStore store = new InMemoryFlagStore();
  private final OpenFeatureAPI api = OpenFeatureAPI.createIsolated();

  @AfterEach
  void shutDown() {
    api.shutdown();
  }

  private Client client(FlagStore flags) {
    api.setProviderAndWait(LintelProvider.using(flags));
    return api.getClient();
  }

  private static ImmutableContext user(String id) {
    return new ImmutableContext(id);
  }

  @Test
  void booleansAnswerTheSwitchWithLintelsReason() {
    store.put(Flag.onForEveryone("everyone"));
    store.put(Flag.offForEveryone("nobody").withAllowedUsers(Set.of("ada")));
    store.put(Flag.rollout("beta", 0).withAllowedUsers(Set.of("ada")));
    store.put(Flag.rollout("half", 50));
    Client client = client(store);

    FlagEvaluationDetails<Boolean> everyone =
        client.getBooleanDetails("everyone", false, user("x"));
    assertThat(everyone.getValue()).isTrue();
    assertThat(everyone.getReason()).isEqualTo(Reason.STATIC.name());
    assertThat(everyone.getVariant()).isEqualTo("on");

    FlagEvaluationDetails<Boolean> nobody = client.getBooleanDetails("nobody", true, user("ada"));
    assertThat(nobody.getValue()).as("globally off wins over the allow list").isFalse();
    assertThat(nobody.getReason()).isEqualTo(Reason.DISABLED.name());

    assertThat(client.getBooleanDetails("beta", false, user("ada")).getReason())
        .isEqualTo(Reason.TARGETING_MATCH.name());
    assertThat(client.getBooleanDetails("beta", false, user("ada")).getValue()).isTrue();

    FlagEvaluationDetails<Boolean> anonymous =
        client.getBooleanDetails("half", true, new ImmutableContext());
    assertThat(anonymous.getValue()).as("no targeting key: anonymous").isFalse();
    assertThat(anonymous.getReason()).isEqualTo(Reason.DEFAULT.name());
  }

  @Test
  void contextAttributesAreTheSessionAndPropertiesAFlagSticksTo() {
    store.put(Flag.rollout("by-tenant", 50).withStickiness("tenant"));
    store.put(Flag.rollout("by-session", 50).withStickiness(Flag.SESSION_ID));
    Client client = client(store);
    try (Flags flags = Flags.using(store)) {
      int on = 0;
      for (int t = 0; t < 200; t++) {
        String tenant = "tenant-" + t;
        ImmutableContext context =
            new ImmutableContext(
                "user-" + t,
                java.util.Map.of("tenant", new Value(tenant), "sessionId", new Value("s-" + t)));
        boolean answer = client.getBooleanValue("by-tenant", false, context);
        assertThat(answer)
            .isEqualTo(
                flags.isEnabled(
                    "by-tenant",
                    FlagContext.user("anyone").withProperty("tenant", tenant),
                    !answer));
        assertThat(client.getBooleanValue("by-session", false, context))
            .isEqualTo(
                flags.isEnabled(
                    "by-session", FlagContext.anonymous().withSessionId("s-" + t), false));
        on += answer ? 1 : 0;
      }
      assertThat(on).isBetween(60, 140);
    }
  }

  @Test
  void rolloutAnswersMatchLintelsFlagsForEveryUserAsSplit() {
    store.put(Flag.rollout("half", 50));
    Client client = client(store);
    try (Flags flags = Flags.using(store)) {
      int on = 0;
      for (int u = 0; u < 1_000; u++) {
        String id = "user-" + u;
        FlagEvaluationDetails<Boolean> details = client.getBooleanDetails("half", false, user(id));
        assertThat(details.getValue())
            .isEqualTo(flags.isEnabled("half", FlagContext.user(id), false));
        assertThat(details.getReason()).isEqualTo(Reason.SPLIT.name());
        on += details.getValue() ? 1 : 0;
      }
      assertThat(on).isBetween(400, 600);
    }
  }

  @Test
  void stringsAndNumbersAnswerTheVariantPickedForTheUser() {
    store.put(
        Flag.onForEveryone("color")
            .withVariants(List.of(new Variant("blue", 1), new Variant("green", 1))));
    store.put(Flag.onForEveryone("limit").withVariants(List.of(new Variant("25", 1))));
    store.put(Flag.onForEveryone("ratio").withVariants(List.of(new Variant("0.75", 1))));
    Client client = client(store);
    try (Flags flags = Flags.using(store)) {
      for (String id : List.of("ada", "bob", "eve", "zoe")) {
        FlagEvaluationDetails<String> color = client.getStringDetails("color", "none", user(id));
        assertThat(color.getValue()).isEqualTo(flags.variant("color", FlagContext.user(id), "x"));
        assertThat(color.getVariant()).isEqualTo(color.getValue());
        assertThat(color.getReason()).isEqualTo(Reason.STATIC.name());
        assertThat(color.getErrorCode()).isNull();
      }
    }
    assertThat(client.getIntegerValue("limit", 10, user("ada"))).isEqualTo(25);
    assertThat(client.getDoubleValue("ratio", 0.5, user("ada"))).isEqualTo(0.75);

    FlagEvaluationDetails<String> anonymous =
        client.getStringDetails("color", "none", new ImmutableContext());
    assertThat(anonymous.getValue()).isEqualTo("none");
    assertThat(anonymous.getReason()).isEqualTo(Reason.DEFAULT.name());
  }

  @Test
  void objectsAnswerTheSwitchAndTheVariant() {
    store.put(Flag.onForEveryone("color").withVariants(List.of(new Variant("blue", 1))));
    Client client = client(store);

    Value value = client.getObjectValue("color", new Value("fallback"), user("ada"));

    assertThat(value.asStructure().asObjectMap())
        .isEqualTo(Map.of("enabled", true, "variant", "blue"));
  }

  @Test
  void errorsAnswerTheDefaultWithTheirCode() {
    store.put(Flag.onForEveryone("switch"));
    store.put(Flag.onForEveryone("color").withVariants(List.of(new Variant("blue", 1))));
    Client client = client(store);

    FlagEvaluationDetails<Boolean> missing = client.getBooleanDetails("missing", true, user("a"));
    assertThat(missing.getValue()).isTrue();
    assertThat(missing.getReason()).isEqualTo(Reason.ERROR.name());
    assertThat(missing.getErrorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
    assertThat(missing.getErrorMessage()).contains("'missing'");

    FlagEvaluationDetails<String> notAString = client.getStringDetails("switch", "x", user("a"));
    assertThat(notAString.getValue()).isEqualTo("x");
    assertThat(notAString.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);

    FlagEvaluationDetails<Integer> notANumber = client.getIntegerDetails("color", 7, user("a"));
    assertThat(notANumber.getValue()).isEqualTo(7);
    assertThat(notANumber.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
    assertThat(notANumber.getErrorMessage()).contains("'blue'").contains("integer");
  }

  @Test
  void aFailingStoreAnswersTheDefaultWithAGeneralError() {
    FlagStore broken =
        new FlagStore() {
          @Override
          public @Nullable Flag get(String name) {
            throw new LintelException("Redis is down");
          }

          @Override
          public void put(Flag flag) {}

          @Override
          public void remove(String name) {}

          @Override
          public Registration onChange(Consumer<@Nullable String> listener) {
            return () -> {};
          }
        };
    Client client = client(broken);

    FlagEvaluationDetails<Boolean> details = client.getBooleanDetails("any", true, user("a"));

    assertThat(details.getValue()).isTrue();
    assertThat(details.getErrorCode()).isEqualTo(ErrorCode.GENERAL);
    assertThat(details.getErrorMessage()).contains("Redis is down");
  }

  @Test
  void readyThenAChangeIsAnnouncedAfterTheOldDefinitionWasDropped() {
    store.put(Flag.offForEveryone("checkout"));
    List<String> ready = new CopyOnWriteArrayList<>();
    List<EventDetails> changes = new CopyOnWriteArrayList<>();
    List<Boolean> seenByHandler = new CopyOnWriteArrayList<>();
    api.onProviderReady(details -> ready.add(details.getProviderName()));
    Client client = client(store);
    assertThat(client.getBooleanValue("checkout", true, user("ada"))).isFalse();
    api.onProviderConfigurationChanged(
        details -> {
          changes.add(details);
          seenByHandler.add(client.getBooleanValue("checkout", false, user("ada")));
        });

    store.put(Flag.onForEveryone("checkout"));

    awaitTrue(() -> !changes.isEmpty(), "a configuration change event");
    awaitTrue(() -> !ready.isEmpty(), "a ready event");
    assertThat(ready).containsExactly("lintel");
    assertThat(changes.get(0).getFlagsChanged()).containsExactly("checkout");
    assertThat(seenByHandler).containsExactly(true);
  }
}
