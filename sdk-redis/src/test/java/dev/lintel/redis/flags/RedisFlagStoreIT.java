package dev.lintel.redis.flags;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.core.flags.Flags;
import dev.lintel.flags.Flag;
import dev.lintel.flags.FlagContext;
import dev.lintel.flags.Variant;
import dev.lintel.testing.Eventually;
import dev.lintel.testing.RedisServerProcess;
import dev.lintel.testing.TestServers;
import io.lettuce.core.RedisURI;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Flags in the real Redis, shared by two nodes (two stores, two evaluators). */
class RedisFlagStoreIT {
  private final String prefix = "flags-it-" + UUID.randomUUID() + ":";

  @Test
  void aChangeOnOneNodeAppliesOnEveryNodeWithinMoments() {
    RedisURI uri = RedisURI.create(TestServers.redis().toString());
    try (RedisFlagStore storeA = RedisFlagStore.connect(uri, prefix);
        RedisFlagStore storeB = RedisFlagStore.connect(uri, prefix);
        Flags nodeA = Flags.using(storeA);
        Flags nodeB = Flags.using(storeB)) {
      FlagContext ada = FlagContext.user("ada");
      storeA.put(Flag.offForEveryone("checkout"));
      assertThat(nodeB.isEnabled("checkout", ada, true)).isFalse(); // now cached on B

      storeA.put(Flag.rollout("checkout", 0).withAllowedUsers(Set.of("ada")));

      Eventually.awaitTrue(() -> nodeB.isEnabled("checkout", ada, false), "B to see the change");
      assertThat(nodeA.isEnabled("checkout", ada, false)).isTrue();

      storeB.remove("checkout");
      Eventually.awaitTrue(
          () -> !nodeA.isEnabled("checkout", ada, false), "A to see the removal from B");
    }
  }

  @Test
  void definitionsSurviveTheRoundTripThroughRedis() {
    RedisURI uri = RedisURI.create(TestServers.redis().toString());
    try (RedisFlagStore store = RedisFlagStore.connect(uri, prefix)) {
      Flag flag =
          Flag.rollout("layout", 30)
              .withAllowedUsers(Set.of("ada"))
              .withDeniedUsers(Set.of("bob"))
              .withVariants(List.of(new Variant("blue", 2), new Variant("green", 1)));
      store.put(flag);

      assertThat(store.get("layout")).isEqualTo(flag);
      assertThat(store.get("missing")).isNull();

      Flag grouped = Flag.rollout("renamed", 30).withGroupId("layout").withStickiness("tenant");
      store.put(grouped);
      assertThat(store.get("renamed")).isEqualTo(grouped);
    }
  }

  /** A definition the first release wrote, without group id and stickiness, keeps its cohort. */
  @Test
  void aDefinitionOfTheFirstReleaseReadsWithTheFlagsNameAsGroupAndTheUserAsStickiness() {
    RedisURI uri = RedisURI.create(TestServers.redis().toString());
    try (RedisFlagStore store = RedisFlagStore.connect(uri, prefix);
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(uri);
        io.lettuce.core.api.StatefulRedisConnection<String, String> raw = client.connect()) {
      store.put(Flag.onForEveryone("probe"));
      String hash =
          raw.sync().keys(prefix + "*").stream()
              .filter(key -> "hash".equals(raw.sync().type(key)))
              .findFirst()
              .orElseThrow();
      raw.sync()
          .hset(
              hash,
              "legacy",
              "{\"name\":\"legacy\",\"enabled\":true,\"rolloutPercent\":30,"
                  + "\"allowedUsers\":[],\"deniedUsers\":[],\"variants\":[]}");

      assertThat(store.get("legacy"))
          .isEqualTo(new Flag("legacy", true, 30, Set.of(), Set.of(), List.of()))
          .satisfies(
              flag -> {
                assertThat(flag.groupId()).isEqualTo("legacy");
                assertThat(flag.stickiness()).isEqualTo(Flag.USER_ID);
              });
    }
  }

  @Test
  void whenRedisGoesAwayEvaluationAnswersFallbacksAndRecoversAfterwards() throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.startOnFreePort();
        RedisFlagStore store = RedisFlagStore.connect(RedisURI.create(redis.uri().toString()));
        Flags flags = Flags.using(store)) {
      store.put(Flag.onForEveryone("cached"));
      assertThat(flags.isEnabled("cached", FlagContext.user("ada"), false)).isTrue();

      redis.kill();
      assertThat(flags.isEnabled("uncached", FlagContext.user("ada"), true))
          .as("a flag that needs Redis answers the fallback")
          .isTrue();

      redis.start(); // empty again
      Eventually.awaitTrue(
          () -> !flags.isEnabled("cached", FlagContext.user("ada"), false),
          "the local copy dropped after the reconnect");
    }
  }
}
