package dev.lintel.openfeature;

import static dev.lintel.testing.Eventually.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.flags.Flag;
import dev.lintel.flags.Variant;
import dev.lintel.redis.flags.RedisFlagStore;
import dev.lintel.testing.TestServers;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EventDetails;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Reason;
import io.lettuce.core.RedisURI;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The provider on the real Redis flag store: a change written through another connection (another
 * node) reaches this node as {@code PROVIDER_CONFIGURATION_CHANGED}, and the client then answers
 * with the new definition.
 */
class RedisProviderIT {
  private final String prefix = "of-" + UUID.randomUUID() + ":";
  private final RedisURI uri = RedisURI.create(TestServers.redis().toString());
  private final RedisFlagStore here = RedisFlagStore.connect(uri, prefix);
  private final RedisFlagStore otherNode = RedisFlagStore.connect(uri, prefix);
  private final OpenFeatureAPI api = OpenFeatureAPI.createIsolated();

  @AfterEach
  void close() {
    api.shutdown();
    here.remove("checkout");
    here.close();
    otherNode.close();
  }

  @Test
  void aChangeOnAnotherNodeIsAnnouncedAndAnsweredThroughTheClient() {
    otherNode.put(Flag.offForEveryone("checkout"));
    api.setProviderAndWait(LintelProvider.using(here));
    Client client = api.getClient();
    List<EventDetails> changes = new CopyOnWriteArrayList<>();
    client.onProviderConfigurationChanged(changes::add);

    FlagEvaluationDetails<String> before =
        client.getStringDetails("checkout", "control", new ImmutableContext("ada"));
    assertThat(before.getErrorCode()).as("a flag without variants").isNotNull();
    assertThat(client.getBooleanDetails("checkout", true, new ImmutableContext("ada")).getReason())
        .isEqualTo(Reason.DISABLED.name());

    otherNode.put(Flag.onForEveryone("checkout").withVariants(List.of(new Variant("new-flow", 1))));

    awaitTrue(
        () -> changes.stream().anyMatch(e -> e.getFlagsChanged().contains("checkout")),
        "PROVIDER_CONFIGURATION_CHANGED for checkout");
    FlagEvaluationDetails<String> after =
        client.getStringDetails("checkout", "control", new ImmutableContext("ada"));
    assertThat(after.getValue()).isEqualTo("new-flow");
    assertThat(after.getReason()).isEqualTo(Reason.STATIC.name());
    assertThat(after.getErrorCode()).isNull();
    assertThat(client.getBooleanValue("checkout", false, new ImmutableContext("ada"))).isTrue();
  }
}
