package dev.lintel.core.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.LintelException;
import dev.lintel.Registration;
import dev.lintel.flags.Flag;
import dev.lintel.flags.FlagContext;
import dev.lintel.flags.FlagStore;
import dev.lintel.flags.Variant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class FlagsTest {
  private static final int USERS = 100_000;

  private final InMemoryFlagStore store = new InMemoryFlagStore();
  private final Flags flags = Flags.using(store);

  private int usersOn(String flag) {
    int on = 0;
    for (int u = 0; u < USERS; u++) {
      if (flags.isEnabled(flag, FlagContext.user("user-" + u), false)) {
        on++;
      }
    }
    return on;
  }

  @Test
  void rolloutReachesThePercentageWithinOnePercentOverOneHundredThousandUsers() {
    for (int percent : List.of(1, 10, 25, 50, 90)) {
      store.put(Flag.rollout("checkout", percent));
      assertThat(usersOn("checkout") / (double) USERS)
          .as("share of users at %d%%", percent)
          .isBetween(percent / 100.0 - 0.01, percent / 100.0 + 0.01);
    }
  }

  @Test
  void aUserWhoIsInStaysInAsThePercentageGrows() {
    boolean[] wasOn = new boolean[USERS];
    for (int percent = 0; percent <= 100; percent += 10) {
      store.put(Flag.rollout("growing", percent));
      for (int u = 0; u < USERS; u++) {
        boolean on = flags.isEnabled("growing", FlagContext.user("user-" + u), false);
        assertThat(!wasOn[u] || on).as("user-%d at %d%%", u, percent).isTrue();
        wasOn[u] = on;
      }
    }
  }

  @Test
  void globalSwitchAndListsComeBeforeTheRollout() {
    store.put(
        Flag.rollout("beta", 0)
            .withAllowedUsers(Set.of("ada", "bob"))
            .withDeniedUsers(Set.of("bob")));

    assertThat(flags.isEnabled("beta", FlagContext.user("ada"), false)).isTrue();
    assertThat(flags.isEnabled("beta", FlagContext.user("bob"), true))
        .as("deny wins over allow")
        .isFalse();
    assertThat(flags.isEnabled("beta", FlagContext.user("eve"), true)).isFalse();

    store.put(Flag.offForEveryone("beta").withAllowedUsers(Set.of("ada")));
    assertThat(flags.isEnabled("beta", FlagContext.user("ada"), true))
        .as("globally off is off for everyone")
        .isFalse();
  }

  @Test
  void anonymousCallersGetOnlyFlagsThatAreOnForEveryone() {
    store.put(Flag.onForEveryone("everyone"));
    store.put(Flag.rollout("half", 50));

    assertThat(flags.isEnabled("everyone", FlagContext.anonymous(), false)).isTrue();
    assertThat(flags.isEnabled("half", FlagContext.anonymous(), true)).isFalse();
  }

  @Test
  void unknownFlagsAnswerTheFallback() {
    assertThat(flags.isEnabled("nope", FlagContext.user("ada"), true)).isTrue();
    assertThat(flags.isEnabled("nope", FlagContext.user("ada"), false)).isFalse();
    assertThat(flags.variant("nope", FlagContext.user("ada"), "control")).isEqualTo("control");
  }

  @Test
  void changesApplyAtOnceThroughTheStoreNotification() {
    store.put(Flag.offForEveryone("switch"));
    assertThat(flags.isEnabled("switch", FlagContext.user("ada"), true)).isFalse();

    store.put(Flag.onForEveryone("switch"));
    assertThat(flags.isEnabled("switch", FlagContext.user("ada"), false)).isTrue();

    store.remove("switch");
    assertThat(flags.isEnabled("switch", FlagContext.user("ada"), false)).isFalse();
  }

  @Test
  void variantsFollowTheirWeightsAndStickToTheUser() {
    store.put(
        Flag.onForEveryone("layout")
            .withVariants(
                List.of(
                    new Variant("blue", 50), new Variant("green", 30), new Variant("red", 20))));
    Map<String, Integer> counts = new HashMap<>();
    for (int u = 0; u < USERS; u++) {
      FlagContext user = FlagContext.user("user-" + u);
      String variant = flags.variant("layout", user, "none");
      assertThat(flags.variant("layout", user, "none")).isEqualTo(variant);
      counts.merge(variant, 1, Integer::sum);
    }
    assertThat(counts.get("blue") / (double) USERS).isBetween(0.49, 0.51);
    assertThat(counts.get("green") / (double) USERS).isBetween(0.29, 0.31);
    assertThat(counts.get("red") / (double) USERS).isBetween(0.19, 0.21);
  }

  @Test
  void aFailingStoreNeverThrowsToTheCaller() {
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
    try (Flags failing = Flags.using(broken)) {
      assertThat(failing.isEnabled("any", FlagContext.user("ada"), true)).isTrue();
      assertThat(failing.variant("any", FlagContext.user("ada"), "control")).isEqualTo("control");
      FlagEvaluation evaluation = failing.evaluate("any", FlagContext.user("ada"));
      assertThat(evaluation.reason()).isEqualTo(FlagEvaluation.Reason.ERROR);
      assertThat(evaluation.error()).hasMessage("Redis is down");
      assertThat(failing.stats()).isEqualTo(new Flags.Stats(3, 0, 3));
    }
  }

  @Test
  void evaluateAgreesWithIsEnabledAndVariantAndNamesTheReason() {
    store.put(
        Flag.rollout("split", 40)
            .withAllowedUsers(Set.of("ada"))
            .withVariants(List.of(new Variant("blue", 1), new Variant("green", 1))));
    for (int u = 0; u < 2_000; u++) {
      FlagContext user = FlagContext.user("user-" + u);
      FlagEvaluation evaluation = flags.evaluate("split", user);
      assertThat(evaluation.enabled()).isEqualTo(flags.isEnabled("split", user, false));
      String variant = flags.variant("split", user, "none");
      assertThat(evaluation.variant() == null ? "none" : evaluation.variant()).isEqualTo(variant);
      assertThat(evaluation.reason()).isEqualTo(FlagEvaluation.Reason.SPLIT);
      assertThat(evaluation.hasVariants()).isTrue();
    }
    assertThat(flags.evaluate("split", FlagContext.user("ada")).reason())
        .isEqualTo(FlagEvaluation.Reason.TARGETING_MATCH);
    assertThat(flags.evaluate("split", FlagContext.anonymous()).reason())
        .isEqualTo(FlagEvaluation.Reason.STATIC);
    assertThat(flags.evaluate("missing", FlagContext.user("ada")))
        .isEqualTo(
            new FlagEvaluation("missing", false, null, false, FlagEvaluation.Reason.UNKNOWN, null));
    store.put(Flag.offForEveryone("off"));
    assertThat(flags.evaluate("off", FlagContext.user("ada")).reason())
        .isEqualTo(FlagEvaluation.Reason.DISABLED);
    store.put(Flag.onForEveryone("on"));
    assertThat(flags.evaluate("on", FlagContext.user("ada")).reason())
        .isEqualTo(FlagEvaluation.Reason.STATIC);
  }

  @Test
  void statsCountEvaluationsAndUnknownFlags() {
    store.put(Flag.onForEveryone("known"));
    flags.isEnabled("known", FlagContext.user("ada"), false);
    flags.isEnabled("unknown", FlagContext.user("ada"), false);
    flags.variant("unknown", FlagContext.user("ada"), "x");
    flags.evaluate("known", FlagContext.anonymous());

    assertThat(flags.stats()).isEqualTo(new Flags.Stats(4, 2, 0));
  }

  @Test
  void invalidDefinitionsAreRefusedNamingTheFlag() {
    assertThatThrownBy(() -> Flag.rollout("checkout", 101))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'checkout'")
        .hasMessageContaining("101");
    assertThatThrownBy(() -> Flag.onForEveryone("bad name"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'bad name'");
    assertThatThrownBy(
            () ->
                Flag.onForEveryone("dup")
                    .withVariants(List.of(new Variant("a", 1), new Variant("a", 2))))
        .hasMessageContaining("'dup'")
        .hasMessageContaining("'a'");
    assertThatThrownBy(() -> new Variant("zero", 0)).hasMessageContaining("'zero'");
  }

  @Test
  void aRolloutAddedToAFlagThatIsOffLeavesItOffUntilSwitchedOn() {
    store.put(Flag.offForEveryone("quiet").withRollout(100));
    assertThat(flags.isEnabled("quiet", FlagContext.user("ada"), true)).isFalse();

    store.put(Flag.offForEveryone("quiet").withRollout(100).switchedOn());
    assertThat(flags.isEnabled("quiet", FlagContext.user("ada"), false)).isTrue();
    assertThat(Flag.rollout("quiet", 30).switchedOff().rolloutPercent()).isEqualTo(30);
  }

  @Test
  void theCohortBelongsToTheGroupIdSoARenamedFlagKeepsItsUsers() {
    store.put(Flag.rollout("old-name", 30));
    store.put(Flag.rollout("new-name", 30).withGroupId("old-name"));
    store.put(Flag.rollout("sibling", 30).withGroupId("old-name"));
    store.put(Flag.rollout("other", 30));

    int same = 0;
    int differentFromOther = 0;
    for (int u = 0; u < 10_000; u++) {
      FlagContext user = FlagContext.user("user-" + u);
      boolean old = flags.isEnabled("old-name", user, false);
      assertThat(flags.isEnabled("new-name", user, false)).isEqualTo(old);
      assertThat(flags.isEnabled("sibling", user, false)).isEqualTo(old);
      same++;
      if (flags.isEnabled("other", user, false) != old) {
        differentFromOther++;
      }
    }
    assertThat(same).isEqualTo(10_000);
    assertThat(differentFromOther).as("another group id is another cohort").isGreaterThan(2_000);
  }

  @Test
  void stickinessOnASessionOrAPropertyDecidesWithoutAUser() {
    store.put(Flag.rollout("by-session", 50).withStickiness(Flag.SESSION_ID));
    store.put(Flag.rollout("by-tenant", 50).withStickiness("tenant"));

    int sessionsOn = 0;
    int tenantsOn = 0;
    for (int i = 0; i < 10_000; i++) {
      FlagContext session = FlagContext.anonymous().withSessionId("session-" + i);
      boolean on = flags.isEnabled("by-session", session, false);
      assertThat(flags.isEnabled("by-session", session.withProperty("x", "y"), false))
          .as("sticks to the session")
          .isEqualTo(on);
      sessionsOn += on ? 1 : 0;
      FlagContext tenantUser =
          FlagContext.user("user-" + i).withProperty("tenant", "tenant-" + (i % 100));
      boolean tenantOn = flags.isEnabled("by-tenant", tenantUser, false);
      assertThat(tenantOn)
          .as("every user of a tenant gets the tenant's answer")
          .isEqualTo(
              flags.isEnabled(
                  "by-tenant",
                  FlagContext.user("someone-else").withProperty("tenant", "tenant-" + (i % 100)),
                  !tenantOn));
      tenantsOn += tenantOn ? 1 : 0;
    }
    assertThat(sessionsOn / 10_000.0).isBetween(0.47, 0.53);
    assertThat(tenantsOn).isBetween(2_000, 8_000);
    assertThat(flags.isEnabled("by-tenant", FlagContext.user("ada"), true))
        .as("no tenant: not in the rollout")
        .isFalse();
  }

  @Test
  void anUnknownFlagIsLoggedOncePerNameAndCountedEveryTime() {
    java.io.PrintStream stdout = System.out; // sdk-core's tests log to System.out
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      for (int i = 0; i < 5; i++) {
        flags.isEnabled("missing-one", FlagContext.user("ada"), false);
        flags.variant("missing-two", FlagContext.user("ada"), "x");
      }
    } finally {
      System.setOut(stdout);
    }
    String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);

    assertThat(log.split("Flag 'missing-one' is not defined", -1)).hasSize(2);
    assertThat(log.split("Flag 'missing-two' is not defined", -1)).hasSize(2);
    assertThat(log).contains("WARN");
    assertThat(flags.stats().unknownFlags()).isEqualTo(10);
  }

  @Test
  void definitionsStoredByTheFirstReleaseKeepTheirCohort() {
    Flag stored = new Flag("legacy", true, 30, Set.of(), Set.of(), List.of());
    assertThat(stored.groupId()).isEqualTo("legacy");
    assertThat(stored.stickiness()).isEqualTo(Flag.USER_ID);
    assertThat(new Flag("legacy", true, 30, Set.of(), Set.of(), List.of(), null, null))
        .isEqualTo(stored);
  }
}
