package dev.lintel.micrometer;

import static dev.lintel.testing.Eventually.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.cache.CacheLoadException;
import dev.lintel.cache.KeyCodec;
import dev.lintel.core.Lintel;
import dev.lintel.core.cache.TieredCache;
import dev.lintel.core.cache.TieredCacheConfig;
import dev.lintel.core.cqrs.LocalCommandBus;
import dev.lintel.core.cqrs.LocalQueryBus;
import dev.lintel.core.eventsourcing.InMemoryCheckpointStore;
import dev.lintel.core.eventsourcing.InMemoryEventStore;
import dev.lintel.core.eventsourcing.JacksonEventSerializer;
import dev.lintel.core.eventsourcing.ProjectionRunner;
import dev.lintel.core.flags.Flags;
import dev.lintel.core.flags.InMemoryFlagStore;
import dev.lintel.cqrs.Command;
import dev.lintel.cqrs.Query;
import dev.lintel.eventsourcing.EventStore;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.Projection;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.eventsourcing.WrongExpectedVersionException;
import dev.lintel.flags.Flag;
import dev.lintel.flags.FlagContext;
import dev.lintel.testing.ManualTimeSource;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each meter moves when its component works; binding twice or closing leaks nothing. */
class LintelMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  record PlaceOrder(String item) implements Command<String> {}

  record CancelOrder(String item) implements Command<Void> {}

  record GetOrder(String id) implements Query<String> {}

  record Placed(String item) {}

  private static double count(MeterRegistry registry, String name, String... tags) {
    Meter meter = registry.find(name).tags(tags).meter();
    assertThat(meter).as("meter %s %s", name, List.of(tags)).isNotNull();
    return meter.measure().iterator().next().getValue();
  }

  private static long timerCount(MeterRegistry registry, String name, String... tags) {
    Timer timer = registry.find(name).tags(tags).timer();
    assertThat(timer).as("timer %s %s", name, List.of(tags)).isNotNull();
    return timer.count();
  }

  private static List<Meter> lintelMeters(MeterRegistry registry) {
    return registry.getMeters().stream()
        .filter(
            m ->
                m.getId().getName().startsWith("lintel.")
                    || m.getId().getName().startsWith("cache."))
        .toList();
  }

  @Test
  void dispatchTimersCountEachTypeAndOutcomeAndBoundTheTypeTag() {
    LintelMetrics metrics = LintelMetrics.builder().maxMessageTypes(1).build();
    metrics.bindTo(registry);
    LocalCommandBus commands =
        LocalCommandBus.builder().interceptor(metrics.commandTiming()).build();
    LocalQueryBus queries = LocalQueryBus.builder().interceptor(metrics.queryTiming()).build();
    commands.register(PlaceOrder.class, c -> "order-" + c.item());
    commands.register(
        CancelOrder.class,
        c -> {
          throw new IllegalStateException("already shipped");
        });
    queries.register(GetOrder.class, q -> "order " + q.id());

    commands.send(new PlaceOrder("a"));
    commands.send(new PlaceOrder("b"));
    assertThatThrownBy(() -> commands.send(new CancelOrder("a")))
        .isInstanceOf(IllegalStateException.class);
    queries.ask(new GetOrder("1"));

    assertThat(
            timerCount(
                registry,
                "lintel.commands",
                "type",
                PlaceOrder.class.getName(),
                "outcome",
                "success"))
        .isEqualTo(2);
    assertThat(timerCount(registry, "lintel.commands", "type", "other", "outcome", "failure"))
        .as("the second command type is beyond maxMessageTypes=1")
        .isEqualTo(1);
    assertThat(
            timerCount(
                registry, "lintel.queries", "type", GetOrder.class.getName(), "outcome", "success"))
        .isEqualTo(1);
    assertThat(registry.find("lintel.commands").tag("type", CancelOrder.class.getName()).timer())
        .isNull();
  }

  @Test
  void cacheMetersFollowTheCachesCounters() {
    ManualTimeSource time = ManualTimeSource.create();
    try (TieredCache<String, String> cache =
        TieredCache.builder("users", KeyCodec.strings(), String.class)
            .config(TieredCacheConfig.custom().recordStats(true).build())
            .timeSource(time)
            .build()) {
      LintelMetrics.builder().cache(cache).build().bindTo(registry);

      cache.get(
          "a",
          key -> {
            time.advance(Duration.ofMillis(25));
            return "1";
          });
      cache.get("a", key -> "never called");
      assertThatThrownBy(
              () ->
                  cache.get(
                      "b",
                      key -> {
                        throw new IllegalStateException("no such user");
                      }))
          .isInstanceOf(CacheLoadException.class);

      assertThat(count(registry, "cache.gets", "cache", "users", "result", "hit", "level", "l1"))
          .isEqualTo(1);
      assertThat(count(registry, "cache.gets", "cache", "users", "result", "miss", "level", "l1"))
          .isEqualTo(2);
      assertThat(count(registry, "cache.load", "cache", "users", "result", "success")).isEqualTo(1);
      assertThat(count(registry, "cache.load", "cache", "users", "result", "failure")).isEqualTo(1);
      assertThat(
              registry
                  .find("cache.load.duration")
                  .tag("cache", "users")
                  .timeGauge()
                  .value(TimeUnit.MILLISECONDS))
          .isEqualTo(25);
      assertThat(registry.find("cache.breaker.state").meters())
          .as("an L1-only cache has no breaker")
          .isEmpty();
    }
  }

  @Test
  void flagMetersCountEvaluationsAndUnknownFlags() {
    InMemoryFlagStore store = new InMemoryFlagStore();
    store.put(Flag.onForEveryone("checkout"));
    try (Flags flags = Flags.using(store)) {
      LintelMetrics.builder().flags(flags).build().bindTo(registry);

      flags.isEnabled("checkout", FlagContext.user("ada"), false);
      flags.isEnabled("nope", FlagContext.user("ada"), false);
      flags.variant("nope", FlagContext.anonymous(), "control");

      assertThat(count(registry, "lintel.flags.evaluations", "flags", "default")).isEqualTo(3);
      assertThat(count(registry, "lintel.flags.unknown", "flags", "default")).isEqualTo(2);
      assertThat(count(registry, "lintel.flags.errors", "flags", "default")).isZero();
    }
  }

  @Test
  void appendsAreTimedByOutcomeAndTheirEventsCounted() {
    LintelMetrics metrics = LintelMetrics.builder().build();
    metrics.bindTo(registry);
    EventStore store =
        metrics.eventStore(
            "orders",
            InMemoryEventStore.create(
                JacksonEventSerializer.builder().classNamesForUnregisteredTypes().build()));

    store.append(
        "order-1",
        ExpectedVersion.noStream(),
        List.of(NewEvent.of(new Placed("a")), NewEvent.of(new Placed("b"))));
    assertThatThrownBy(
            () ->
                store.append(
                    "order-1", ExpectedVersion.noStream(), List.of(NewEvent.of(new Placed("c")))))
        .isInstanceOf(WrongExpectedVersionException.class);

    assertThat(
            timerCount(
                registry, "lintel.eventstore.appends", "store", "orders", "outcome", "success"))
        .isEqualTo(1);
    assertThat(
            timerCount(
                registry, "lintel.eventstore.appends", "store", "orders", "outcome", "conflict"))
        .isEqualTo(1);
    assertThat(count(registry, "lintel.eventstore.events", "store", "orders")).isEqualTo(2);
    assertThat(store.readStream("order-1", 1, 10)).hasSize(2);
  }

  @Test
  void projectionLagCountsEventsBehindTheHeadAndTheirAge() {
    ManualTimeSource time = ManualTimeSource.create();
    InMemoryEventStore store =
        InMemoryEventStore.create(
            InMemoryEventStore.Settings.defaults(
                    JacksonEventSerializer.builder().classNamesForUnregisteredTypes().build())
                .withTimeSource(time));
    Projection failingAtTwo =
        new Projection() {
          @Override
          public String name() {
            return "orders";
          }

          @Override
          public void handle(RecordedEvent event) {
            if (event.position() == 2) {
              throw new IllegalStateException("read model down");
            }
          }
        };
    ProjectionRunner runner =
        ProjectionRunner.builder(store, new InMemoryCheckpointStore(), failingAtTwo).build();
    LintelMetrics.builder().projection(runner).timeSource(time).build().bindTo(registry);
    runner.start();
    try {
      assertThat(count(registry, "lintel.projection.lag", "projection", "orders")).isZero();
      store.append("o-1", ExpectedVersion.any(), List.of(NewEvent.of(new Placed("a"))));
      time.advance(Duration.ofSeconds(3));
      store.append("o-1", ExpectedVersion.any(), List.of(NewEvent.of(new Placed("b"))));
      store.append("o-1", ExpectedVersion.any(), List.of(NewEvent.of(new Placed("c"))));
      awaitTrue(() -> runner.failure() != null, "projection stopped at position 2");
      time.advance(Duration.ofSeconds(4));

      assertThat(count(registry, "lintel.projection.lag", "projection", "orders")).isEqualTo(2);
      assertThat(
              registry
                  .find("lintel.projection.lag.time")
                  .tag("projection", "orders")
                  .timeGauge()
                  .value(TimeUnit.SECONDS))
          .as("the last handled event (position 1) was recorded 7 s ago")
          .isEqualTo(7);
    } finally {
      runner.stop();
    }
  }

  @Test
  void bindingTheSameRegistryTwiceRegistersNothingTwiceAndRecordsOnce() {
    InMemoryFlagStore store = new InMemoryFlagStore();
    try (Flags flags = Flags.using(store)) {
      LintelMetrics metrics = LintelMetrics.builder().flags(flags).build();
      LocalCommandBus commands =
          LocalCommandBus.builder().interceptor(metrics.commandTiming()).build();
      commands.register(PlaceOrder.class, c -> "ok");
      metrics.bindTo(registry);
      commands.send(new PlaceOrder("a"));
      int meters = registry.getMeters().size();

      metrics.bindTo(registry);
      commands.send(new PlaceOrder("b"));

      assertThat(registry.getMeters()).hasSize(meters);
      assertThat(timerCount(registry, "lintel.commands", "outcome", "success")).isEqualTo(2);

      SimpleMeterRegistry second = new SimpleMeterRegistry();
      metrics.bindTo(second);
      commands.send(new PlaceOrder("c"));
      assertThat(timerCount(registry, "lintel.commands", "outcome", "success")).isEqualTo(3);
      assertThat(timerCount(second, "lintel.commands", "outcome", "success")).isEqualTo(1);
    }
  }

  @Test
  void aClosedRuntimeLeavesNoMetersInAnyRegistry() {
    InMemoryFlagStore flagStore = new InMemoryFlagStore();
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    other.counter("host.own.counter").increment();
    try (Flags flags = Flags.using(flagStore);
        TieredCache<String, String> cache =
            TieredCache.builder("users", KeyCodec.strings(), String.class).build()) {
      LintelMetrics metrics = LintelMetrics.builder().flags(flags).cache(cache).build();
      Lintel lintel =
          Lintel.builder()
              .commandBus(LocalCommandBus.builder().interceptor(metrics.commandTiming()).build())
              .eventStore(
                  metrics.eventStore(
                      InMemoryEventStore.create(
                          JacksonEventSerializer.builder()
                              .classNamesForUnregisteredTypes()
                              .build())))
              .component(metrics)
              .build()
              .start();
      metrics.bindTo(registry);
      metrics.bindTo(other);
      lintel.commands().register(PlaceOrder.class, c -> "ok");
      lintel.commands().send(new PlaceOrder("a"));
      lintel.eventStore().append("s", ExpectedVersion.any(), List.of(NewEvent.of(new Placed("a"))));
      assertThat(lintelMeters(registry)).isNotEmpty();
      assertThat(lintelMeters(other)).isNotEmpty();

      lintel.close();

      assertThat(lintelMeters(registry)).isEmpty();
      assertThat(lintelMeters(other)).isEmpty();
      assertThat(other.find("host.own.counter").counter()).as("the host's meters stay").isNotNull();
      // Work after close is not recorded and creates no meters again.
      metrics
          .eventStore(lintel.eventStore())
          .append("s", ExpectedVersion.any(), List.of(NewEvent.of(new Placed("b"))));
      assertThat(lintelMeters(registry)).isEmpty();
      assertThatThrownBy(() -> metrics.bindTo(registry))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }
  }

  @Test
  void badNamesAreRefusedWithTheValue() {
    assertThatThrownBy(
            () -> LintelMetrics.builder().flags("has space", Flags.using(new InMemoryFlagStore())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'has space'");
    assertThatThrownBy(() -> LintelMetrics.builder().maxMessageTypes(0))
        .hasMessageContaining("but was 0");
  }
}
