package dev.lintel.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.core.cache.TieredCacheConfig.WriteMode;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** {@link TieredCacheConfig}: defaults, validation at the setter, {@code from(base)}. */
class TieredCacheConfigTest {

  /** Differs from the defaults in every setting. */
  private static TieredCacheConfig everythingChanged() {
    return TieredCacheConfig.custom()
        .l1(42, Duration.ofSeconds(7))
        .parallelLoads(3)
        .l2Ttl(Duration.ofMinutes(3))
        .l2Timeout(Duration.ofMillis(900))
        .circuitBreaker(CircuitBreakerConfig.custom().slidingWindowSize(7).build())
        .keyPrefix("orders:")
        .ttlJitter(0.3)
        .cacheAbsent(Duration.ofSeconds(4))
        .distributedLoadLock(Duration.ofSeconds(11), Duration.ofSeconds(3))
        .earlyRefresh(2.5)
        .recordStats(true)
        .writeBehind(5, Duration.ofMillis(300), 50)
        .writeBehindEnqueueTimeout(Duration.ofSeconds(2))
        .writeBehindCloseTimeout(Duration.ofSeconds(9))
        .l1StaleWindow(Duration.ofMillis(50))
        .build();
  }

  /** Every public getter: each setting the config holds. */
  private static List<Method> settings() {
    return Arrays.stream(TieredCacheConfig.class.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
        .filter(m -> m.getParameterCount() == 0 && !m.getName().equals("toString"))
        .toList();
  }

  @Test
  void theDefaultsAreTheDocumentedOnes() {
    TieredCacheConfig defaults = TieredCacheConfig.ofDefaults();

    assertThat(defaults.l1MaximumSize()).isEqualTo(10_000);
    assertThat(defaults.l1Ttl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(defaults.l2Ttl()).isEqualTo(Duration.ofHours(1));
    assertThat(defaults.l2Timeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(defaults.keyPrefix()).isEqualTo("lintel:");
    assertThat(defaults.ttlJitter()).isEqualTo(0.1);
    assertThat(defaults.absentTtl()).isEmpty();
    assertThat(defaults.loadLockLease()).isEmpty();
    assertThat(defaults.loadLockWait()).isZero();
    assertThat(defaults.earlyRefreshBeta()).isZero();
    assertThat(defaults.recordStats()).isFalse();
    assertThat(defaults.writeMode()).isEqualTo(WriteMode.CACHE_ASIDE);
    assertThat(defaults.writeBehindEnqueueTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.writeBehindCloseTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.l1StaleWindow()).isEqualTo(Duration.ofMillis(500));
    CircuitBreakerConfig breaker = defaults.circuitBreaker();
    assertThat(breaker.getSlidingWindowSize()).isEqualTo(20);
    assertThat(breaker.getMinimumNumberOfCalls()).isEqualTo(5);
    assertThat(breaker.getFailureRateThreshold()).isEqualTo(50);
    assertThat(breaker.getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(3);
  }

  @Test
  void customStartsFromTheDefaults() throws Exception {
    TieredCacheConfig custom = TieredCacheConfig.custom().build();

    for (Method setting : settings()) {
      assertThat(setting.invoke(custom))
          .as(setting.getName())
          .isEqualTo(setting.invoke(TieredCacheConfig.ofDefaults()));
    }
  }

  @Test
  void everySetterRefusesABadValueAtOnceNamingIt() {
    assertRefused(() -> TieredCacheConfig.custom().l1(0, Duration.ofSeconds(1)), "but was 0");
    assertRefused(() -> TieredCacheConfig.custom().l1(10, Duration.ZERO), "but was PT0S");
    assertRefused(() -> TieredCacheConfig.custom().l2Ttl(Duration.ofSeconds(-1)), "PT-1S");
    assertRefused(() -> TieredCacheConfig.custom().l2Timeout(Duration.ZERO), "PT0S");
    assertRefused(() -> TieredCacheConfig.custom().keyPrefix("a b"), "'a b'");
    assertRefused(() -> TieredCacheConfig.custom().ttlJitter(0.6), "0.6");
    assertRefused(() -> TieredCacheConfig.custom().ttlJitter(-0.1), "-0.1");
    assertRefused(() -> TieredCacheConfig.custom().ttlJitter(Double.NaN), "NaN");
    assertRefused(() -> TieredCacheConfig.custom().cacheAbsent(Duration.ZERO), "PT0S");
    assertRefused(
        () -> TieredCacheConfig.custom().distributedLoadLock(Duration.ZERO, Duration.ofSeconds(1)),
        "lock lease must be positive but was PT0S");
    assertRefused(
        () ->
            TieredCacheConfig.custom()
                .distributedLoadLock(Duration.ofSeconds(1), Duration.ofSeconds(-2)),
        "lock wait must be positive but was PT-2S");
    assertRefused(() -> TieredCacheConfig.custom().earlyRefresh(0), "but was 0.0");
    assertRefused(() -> TieredCacheConfig.custom().earlyRefresh(Double.NaN), "NaN");
    assertRefused(
        () -> TieredCacheConfig.custom().earlyRefresh(Double.POSITIVE_INFINITY), "Infinity");
    assertRefused(
        () -> TieredCacheConfig.custom().writeBehind(0, Duration.ofSeconds(1), 10), "batchSize=0");
    assertRefused(
        () -> TieredCacheConfig.custom().writeBehind(10, Duration.ofSeconds(1), 5), "maxPending=5");
    assertRefused(
        () -> TieredCacheConfig.custom().writeBehind(1, Duration.ZERO, 1),
        "write-behind interval must be positive but was PT0S");
    assertRefused(
        () -> TieredCacheConfig.custom().writeBehindEnqueueTimeout(Duration.ofMillis(-5)),
        "PT-0.005S");
    assertRefused(() -> TieredCacheConfig.custom().writeBehindCloseTimeout(Duration.ZERO), "PT0S");
    assertRefused(
        () -> TieredCacheConfig.custom().l1StaleWindow(Duration.ofMillis(-1)),
        "L1 stale window must not be negative but was PT-0.001S");
    assertThatThrownBy(() -> TieredCacheConfig.custom().l2Ttl(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> TieredCacheConfig.custom().circuitBreaker(null))
        .isInstanceOf(NullPointerException.class);
  }

  private static void assertRefused(ThrowingCallable setter, String naming) {
    assertThatThrownBy(setter)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(naming);
  }

  @Test
  void aRefusedValueLeavesTheBuilderAsItWas() {
    TieredCacheConfig.Builder builder = TieredCacheConfig.custom();

    assertThatThrownBy(() -> builder.l1(500, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.distributedLoadLock(Duration.ofSeconds(1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.writeBehind(1, Duration.ZERO, 1))
        .isInstanceOf(IllegalArgumentException.class);

    TieredCacheConfig built = builder.build();
    assertThat(built.l1MaximumSize()).isEqualTo(10_000);
    assertThat(built.loadLockLease()).isEmpty();
    assertThat(built.writeMode()).isEqualTo(WriteMode.CACHE_ASIDE);
  }

  @Test
  void fromCopiesEverySetting() throws Exception {
    TieredCacheConfig base = everythingChanged();
    TieredCacheConfig copy = TieredCacheConfig.from(base).build();

    assertThat(settings()).hasSizeGreaterThanOrEqualTo(18);
    for (Method setting : settings()) {
      assertThat(setting.invoke(base))
          .as("the test's base changes %s", setting.getName())
          .isNotEqualTo(setting.invoke(TieredCacheConfig.ofDefaults()));
      assertThat(setting.invoke(copy))
          .as("from(base) copies %s", setting.getName())
          .isEqualTo(setting.invoke(base));
    }
  }

  @Test
  void aConfigDerivedWithFromChangesOnlyWhatItSetsAndLeavesTheBaseAlone() throws Exception {
    TieredCacheConfig base = everythingChanged();
    String before = base.toString();

    TieredCacheConfig derived =
        TieredCacheConfig.from(base).l2Ttl(Duration.ofSeconds(30)).writeThrough().build();

    assertThat(base.toString()).isEqualTo(before);
    assertThat(base.l2Ttl()).isEqualTo(Duration.ofMinutes(3));
    assertThat(base.writeMode()).isEqualTo(WriteMode.WRITE_BEHIND);
    assertThat(derived.l2Ttl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(derived.writeMode()).isEqualTo(WriteMode.WRITE_THROUGH);
    for (Method setting : settings()) {
      if (!List.of("l2Ttl", "writeMode").contains(setting.getName())) {
        assertThat(setting.invoke(derived))
            .as("derived %s", setting.getName())
            .isEqualTo(setting.invoke(base));
      }
    }
  }

  @Test
  void aBuiltConfigNeverChangesWhenItsBuilderDoes() {
    TieredCacheConfig.Builder builder = TieredCacheConfig.custom().l2Ttl(Duration.ofMinutes(1));
    TieredCacheConfig first = builder.build();

    builder.l2Ttl(Duration.ofMinutes(2)).cacheAbsent(Duration.ofSeconds(1));

    assertThat(first.l2Ttl()).isEqualTo(Duration.ofMinutes(1));
    assertThat(first.absentTtl()).isEmpty();
    assertThat(builder.build().l2Ttl()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void theOffSwitchesRestoreTheDefaults() throws Exception {
    TieredCacheConfig off =
        TieredCacheConfig.from(everythingChanged())
            .withoutAbsentCaching()
            .withoutDistributedLoadLock()
            .withoutEarlyRefresh()
            .cacheAside()
            .withoutL1()
            .build();

    assertThat(off.absentTtl()).isEqualTo(Optional.empty());
    assertThat(off.loadLockLease()).isEmpty();
    assertThat(off.loadLockWait()).isZero();
    assertThat(off.earlyRefreshBeta()).isZero();
    assertThat(off.writeMode()).isEqualTo(WriteMode.CACHE_ASIDE);
    assertThat(off.l1MaximumSize()).isZero();
  }

  @Test
  void theLastWriteModeChosenWins() {
    assertThat(
            TieredCacheConfig.custom()
                .writeThrough()
                .writeBehind(1, Duration.ofSeconds(1), 1)
                .build()
                .writeMode())
        .isEqualTo(WriteMode.WRITE_BEHIND);
    assertThat(
            TieredCacheConfig.custom()
                .writeBehind(1, Duration.ofSeconds(1), 1)
                .writeThrough()
                .build()
                .writeMode())
        .isEqualTo(WriteMode.WRITE_THROUGH);
  }

  @Test
  void toStringNamesTheSettings() {
    assertThat(everythingChanged().toString())
        .contains("l1MaximumSize=42")
        .contains("keyPrefix='orders:'")
        .contains("writeMode=WRITE_BEHIND")
        .contains("batchSize=5");
  }
}
