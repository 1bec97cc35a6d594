package dev.lintel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.eventsourcing.AppendResult;
import dev.lintel.eventsourcing.EventIdConflictException;
import dev.lintel.eventsourcing.EventStore;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.eventsourcing.Subscription;
import dev.lintel.eventsourcing.WrongExpectedVersionException;
import dev.lintel.testing.ContractEvents.Deposited;
import dev.lintel.testing.ContractEvents.Note;
import dev.lintel.testing.ContractEvents.Withdrawn;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link EventStore} promises, run against each implementation. A store under
 * test registers {@link ContractEvents#types()} with its serializer and limits events to 4096
 * bytes. Other tests may share the store, so assertions are made relative to positions this test
 * wrote.
 */
public abstract class EventStoreContract {
  /** The size limit the store under test must be configured with. */
  protected static final int MAX_EVENT_BYTES = 4096;

  private EventStore store;
  private String prefix;

  /**
   * Creates the store under test.
   *
   * @return a store that registers {@link ContractEvents#types()} and limits events to {@link
   *     #MAX_EVENT_BYTES}
   */
  protected abstract EventStore store();

  @BeforeEach
  void createStore() {
    store = store();
    prefix = "acct-" + UUID.randomUUID().toString().substring(0, 8) + "-";
  }

  private String stream(String name) {
    return prefix + name;
  }

  private static NewEvent deposit(String account, int amount) {
    return NewEvent.of(new Deposited(account, amount));
  }

  @Test
  void appendedEventsAreReadBackInStreamOrderWithTheirMetadata() {
    String stream = stream("a");
    NewEvent first = deposit("a", 10).causedBy("corr-1", "cmd-1");
    NewEvent second = NewEvent.of(new Withdrawn("a", 3)).withMetadata("user", "ada");

    AppendResult result = store.append(stream, ExpectedVersion.noStream(), List.of(first, second));

    assertThat(result.stream()).isEqualTo(stream);
    assertThat(result.version()).isEqualTo(2);
    assertThat(result.lastPosition()).isEqualTo(result.firstPosition() + 1);
    List<RecordedEvent> events = store.readStream(stream, 1, 10);
    assertThat(events)
        .extracting(RecordedEvent::version, RecordedEvent::type, RecordedEvent::data)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, "deposited", new Deposited("a", 10)),
            org.assertj.core.groups.Tuple.tuple(2L, "withdrawn", new Withdrawn("a", 3)));
    assertThat(events)
        .extracting(RecordedEvent::eventId)
        .containsExactly(first.eventId(), second.eventId());
    assertThat(events)
        .extracting(RecordedEvent::position)
        .containsExactly(result.firstPosition(), result.lastPosition());
    assertThat(events.get(0).correlationId()).isEqualTo("corr-1");
    assertThat(events.get(0).causationId()).isEqualTo("cmd-1");
    assertThat(events.get(1).metadata()).containsEntry("user", "ada");
    assertThat(events.get(0).timestamp()).isNotNull();
    assertThat(store.streamVersion(stream)).isEqualTo(2);
  }

  @Test
  void expectedVersionIsCheckedAndAMismatchNamesStreamExpectedAndActual() {
    String stream = stream("b");
    store.append(stream, ExpectedVersion.noStream(), List.of(deposit("b", 1)));

    assertThatThrownBy(
            () -> store.append(stream, ExpectedVersion.noStream(), List.of(deposit("b", 2))))
        .isInstanceOfSatisfying(
            WrongExpectedVersionException.class,
            e -> {
              assertThat(e.stream()).isEqualTo(stream);
              assertThat(e.expected()).isEqualTo(ExpectedVersion.noStream());
              assertThat(e.actualVersion()).isEqualTo(1);
            })
        .hasMessage("Stream '" + stream + "' was expected at no stream but is at version 1");
    assertThatThrownBy(
            () -> store.append(stream, ExpectedVersion.exactly(5), List.of(deposit("b", 2))))
        .isInstanceOf(WrongExpectedVersionException.class);
    assertThatThrownBy(
            () ->
                store.append(
                    stream("missing"), ExpectedVersion.streamExists(), List.of(deposit("b", 2))))
        .isInstanceOfSatisfying(
            WrongExpectedVersionException.class, e -> assertThat(e.actualVersion()).isZero());

    store.append(stream, ExpectedVersion.exactly(1), List.of(deposit("b", 2)));
    store.append(stream, ExpectedVersion.streamExists(), List.of(deposit("b", 3)));
    store.append(stream, ExpectedVersion.any(), List.of(deposit("b", 4)));
    store.append(stream("new"), ExpectedVersion.any(), List.of(deposit("b", 5)));

    assertThat(store.readStream(stream, 1, 10))
        .extracting(e -> ((Deposited) e.data()).amount())
        .containsExactly(1, 2, 3, 4);
  }

  @Test
  void aRejectedAppendWritesNothing() {
    String stream = stream("c");
    store.append(stream, ExpectedVersion.noStream(), List.of(deposit("c", 1)));
    long before = store.lastPosition();

    assertThatThrownBy(
            () ->
                store.append(
                    stream, ExpectedVersion.exactly(7), List.of(deposit("c", 2), deposit("c", 3))))
        .isInstanceOf(WrongExpectedVersionException.class);

    assertThat(store.streamVersion(stream)).isEqualTo(1);
    assertThat(store.readAll(before + 1, 100)).noneMatch(e -> e.stream().equals(stream));
  }

  @Test
  void retryingAnAppendedBatchReturnsTheOriginalResultAndWritesNothing() {
    String stream = stream("d");
    List<NewEvent> batch = List.of(deposit("d", 1), deposit("d", 2));
    AppendResult original = store.append(stream, ExpectedVersion.noStream(), batch);
    store.append(stream, ExpectedVersion.exactly(2), List.of(deposit("d", 3)));

    AppendResult retried = store.append(stream, ExpectedVersion.noStream(), batch);
    AppendResult retriedAny = store.append(stream, ExpectedVersion.any(), batch);

    assertThat(retried).isEqualTo(original);
    assertThat(retriedAny).isEqualTo(original);
    assertThat(store.streamVersion(stream)).isEqualTo(3);
  }

  @Test
  void streamIdsCompareExactlyCaseTrailingSpacesAndAccentsIncluded() {
    String base = stream("tsp");
    List<String> ids =
        List.of(
            base,
            base + " ",
            base.toUpperCase(java.util.Locale.ROOT),
            base + "\u00e9",
            base + "e\u0301");

    for (String id : ids) {
      assertThat(store.append(id, ExpectedVersion.noStream(), List.of(deposit(id, 1))).version())
          .as("a new stream: '%s'", id)
          .isEqualTo(1);
    }
    for (String id : ids) {
      assertThat(store.readStream(id, 1, 10))
          .singleElement()
          .satisfies(event -> assertThat(event.stream()).isEqualTo(id));
      assertThat(store.streamVersion(id)).isEqualTo(1);
    }
  }

  @Test
  void aRetryWhoseEventsCarryOtherDataIsAConflictNotTheOriginalResult() {
    String stream = stream("p");
    NewEvent stored = deposit("p", 1).withMetadata("source", "web");
    store.append(stream, ExpectedVersion.noStream(), List.of(stored));
    NewEvent otherData = new NewEvent(stored.eventId(), new Deposited("p", 2), stored.metadata());
    NewEvent otherMetadata = stored.withMetadata("source", "batch");

    for (NewEvent changed : List.of(otherData, otherMetadata)) {
      assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), List.of(changed)))
          .isInstanceOfSatisfying(
              EventIdConflictException.class,
              e -> assertThat(e.storedIds()).containsExactly(stored.eventId()))
          .hasMessageContaining("another type, data or metadata");
    }
    assertThat(store.readStream(stream, 1, 10))
        .singleElement()
        .satisfies(event -> assertThat(event.data()).isEqualTo(new Deposited("p", 1)));
  }

  @Test
  void eventTypeNamesAndMetadataAreCheckedLikeStreamIdsBeforeAnythingIsWritten() {
    String stream = stream("m");
    long before = store.lastPosition();

    assertThatThrownBy(
            () ->
                store.append(
                    stream,
                    ExpectedVersion.any(),
                    List.of(deposit("m", 1).withMetadata("bad\u0001key", "v"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metadata key 'bad\\u0001key' has a control character U+0001 at index 3");
    assertThatThrownBy(
            () ->
                store.append(
                    stream,
                    ExpectedVersion.any(),
                    List.of(deposit("m", 1).withMetadata("source", "half \uD800 pair"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metadata value of key 'source' has an unpaired surrogate U+D800");
    assertThat(store.lastPosition()).isEqualTo(before);
    assertThat(store.streamVersion(stream)).isZero();
  }

  @Test
  void aRetryMustBeAWholeStoredAppendNotAPartOrAMixOfTwo() {
    String stream = stream("w");
    NewEvent a1 = deposit("w", 1);
    NewEvent a2 = deposit("w", 2);
    NewEvent a3 = deposit("w", 3);
    NewEvent b1 = deposit("w", 4);
    AppendResult first = store.append(stream, ExpectedVersion.noStream(), List.of(a1, a2, a3));
    store.append(stream, ExpectedVersion.exactly(3), List.of(b1));

    for (List<NewEvent> partial : List.of(List.of(a1, a2), List.of(a2, a3), List.of(a3, b1))) {
      assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), partial))
          .isInstanceOf(EventIdConflictException.class)
          .hasMessageContaining("not exactly one stored append");
    }
    assertThat(store.append(stream, ExpectedVersion.any(), List.of(a1, a2, a3))).isEqualTo(first);
    assertThat(store.streamVersion(stream)).isEqualTo(4);
  }

  @Test
  void aBatchMixingStoredAndNewEventIdsIsRejectedAndWritesNothing() {
    String stream = stream("e");
    NewEvent stored = deposit("e", 1);
    store.append(stream, ExpectedVersion.noStream(), List.of(stored));

    assertThatThrownBy(
            () -> store.append(stream, ExpectedVersion.any(), List.of(stored, deposit("e", 2))))
        .isInstanceOfSatisfying(
            EventIdConflictException.class,
            e -> assertThat(e.storedIds()).containsExactly(stored.eventId()))
        .hasMessageContaining(stream);
    assertThatThrownBy(() -> store.append(stream("other"), ExpectedVersion.any(), List.of(stored)))
        .isInstanceOf(EventIdConflictException.class);
    assertThat(store.streamVersion(stream)).isEqualTo(1);
    assertThat(store.streamVersion(stream("other"))).isZero();
  }

  @Test
  void readAllReturnsEveryStreamInGlobalOrder() {
    AppendResult a =
        store.append(stream("f1"), ExpectedVersion.noStream(), List.of(deposit("f1", 1)));
    AppendResult b =
        store.append(
            stream("f2"), ExpectedVersion.noStream(), List.of(deposit("f2", 2), deposit("f2", 3)));
    AppendResult c =
        store.append(stream("f1"), ExpectedVersion.exactly(1), List.of(deposit("f1", 4)));

    List<RecordedEvent> mine =
        store.readAll(a.firstPosition(), 10_000).stream()
            .filter(e -> e.stream().startsWith(prefix))
            .toList();

    assertThat(mine).extracting(e -> ((Deposited) e.data()).amount()).containsExactly(1, 2, 3, 4);
    assertThat(mine).extracting(RecordedEvent::position).isSorted();
    assertThat(b.firstPosition()).isGreaterThan(a.lastPosition());
    assertThat(c.firstPosition()).isGreaterThan(b.lastPosition());
    assertThat(store.readAll(b.firstPosition(), 1))
        .extracting(RecordedEvent::position)
        .containsExactly(b.firstPosition());
    assertThat(store.lastPosition()).isGreaterThanOrEqualTo(c.lastPosition());
  }

  @Test
  void readStreamPagesFromAVersionAndAnUnknownStreamIsEmpty() {
    String stream = stream("g");
    List<NewEvent> events = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      events.add(deposit("g", i));
    }
    store.append(stream, ExpectedVersion.noStream(), events);

    assertThat(store.readStream(stream, 2, 2))
        .extracting(RecordedEvent::version)
        .containsExactly(2L, 3L);
    assertThat(store.readStream(stream, 5, 10))
        .extracting(RecordedEvent::version)
        .containsExactly(5L);
    assertThat(store.readStream(stream, 6, 10)).isEmpty();
    assertThat(store.readStream(stream("nothing"), 1, 10)).isEmpty();
    assertThat(store.streamVersion(stream("nothing"))).isZero();
  }

  /** Stores may read in pages (the JDBC store reads 1,000 rows a query): reads span them. */
  @Test
  void readsLongerThanAPageReturnOneContiguousRunInOrder() {
    String big = stream("long");
    long first = 0;
    for (int batch = 0; batch < 5; batch++) {
      List<NewEvent> events = new ArrayList<>();
      for (int i = 1; i <= 500; i++) {
        events.add(deposit("long", batch * 500 + i));
      }
      AppendResult appended = store.append(big, ExpectedVersion.any(), events);
      first = batch == 0 ? appended.firstPosition() : first;
      store.append(
          stream("long-other"),
          ExpectedVersion.any(),
          List.of(NewEvent.of(new Withdrawn("long-other", batch))));
    }

    List<RecordedEvent> all = store.readAll(first + 1, 2_400);
    assertThat(all).hasSize(2_400);
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i).position()).as("position %s", i).isEqualTo(first + 1 + i);
    }
    List<Integer> amounts =
        all.stream()
            .filter(e -> e.stream().equals(big))
            .map(e -> ((Deposited) e.data()).amount())
            .toList();
    assertThat(amounts)
        .containsExactlyElementsOf(
            java.util.stream.IntStream.range(2, 2 + amounts.size()).boxed().toList())
        .hasSizeGreaterThan(2_000);
    assertThat(store.readStream(big, 7, 2_000))
        .extracting(RecordedEvent::version)
        .containsExactlyElementsOf(
            java.util.stream.LongStream.rangeClosed(7, 2_006).boxed().toList());
    assertThat(store.readStream(big, 2_001, 1_000))
        .extracting(e -> ((Deposited) e.data()).amount())
        .containsExactlyElementsOf(
            java.util.stream.IntStream.rangeClosed(2_001, 2_500).boxed().toList());
  }

  @Test
  void badInputIsRejectedBeforeAnythingIsWritten() {
    String stream = stream("h");
    long before = store.lastPosition();

    assertThatThrownBy(() -> store.append(null, ExpectedVersion.any(), List.of(deposit("h", 1))))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("stream");
    assertThatThrownBy(() -> store.append(stream, null, List.of(deposit("h", 1))))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("expected");
    assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("events");
    assertThatThrownBy(
            () ->
                store.append(
                    stream, ExpectedVersion.any(), java.util.Arrays.asList(deposit("h", 1), null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("event");
    assertThatThrownBy(() -> store.append(" ", ExpectedVersion.any(), List.of(deposit("h", 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stream id must not be blank");
    assertThatThrownBy(
            () -> store.append("x".repeat(201), ExpectedVersion.any(), List.of(deposit("h", 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 200 characters but was 201");
    assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no events");
    assertThatThrownBy(
            () -> store.append("nul\u0000id", ExpectedVersion.any(), List.of(deposit("h", 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stream id 'nul\\u0000id' has a control character U+0000 at index 3");
    assertThatThrownBy(
            () -> store.append("line\nbreak", ExpectedVersion.any(), List.of(deposit("h", 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control character U+000A at index 4");
    assertThatThrownBy(
            () -> store.append("lone\uD800", ExpectedVersion.any(), List.of(deposit("h", 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stream id 'lone\\uD800' has an unpaired surrogate U+D800 at index 4");
    assertThatThrownBy(
            () -> store.append("\uDC00low", ExpectedVersion.any(), List.of(deposit("h", 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unpaired surrogate U+DC00 at index 0");
    assertThatThrownBy(() -> store.readStream("nul\u0000id", 1, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control character");
    assertThatThrownBy(() -> store.streamVersion("lone\uD800"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unpaired surrogate");
    NewEvent twice = deposit("h", 1);
    assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), List.of(twice, twice)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("contains event id " + twice.eventId() + " twice");
    assertThatThrownBy(
            () ->
                store.append(
                    stream,
                    ExpectedVersion.any(),
                    List.of(deposit("h", 1), NewEvent.of(new Unregistered("?")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Unregistered.class.getName());
    assertThatThrownBy(
            () ->
                store.append(
                    stream,
                    ExpectedVersion.any(),
                    List.of(deposit("h", 1), NewEvent.of(new Note("x".repeat(MAX_EVENT_BYTES))))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Event 2 of the append to stream '" + stream + "' (type 'note')")
        .hasMessageContaining("over the limit of " + MAX_EVENT_BYTES);
    assertThatThrownBy(() -> ExpectedVersion.exactly(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected version must not be negative but was -1");
    assertThatThrownBy(() -> store.readStream(stream, 0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fromVersion must be at least 1 but was 0");
    assertThatThrownBy(() -> store.readAll(1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max must be positive but was 0");

    assertThat(store.streamVersion(stream)).isZero();
    assertThat(store.readAll(before + 1, 10_000)).noneMatch(e -> e.stream().equals(stream));
  }

  /** Many writers race on one stream with exact versions: one winner per version, no gaps. */
  @Test
  void concurrentWritersToOneStreamGetOneWinnerPerVersion() throws Exception {
    String stream = stream("race");
    int threads = 16;
    int attemptsPerThread = 25;
    AtomicInteger wins = new AtomicInteger();
    AtomicInteger conflicts = new AtomicInteger();
    Concurrently.run(
        threads,
        thread -> {
          for (int i = 0; i < attemptsPerThread; i++) {
            long version = store.streamVersion(stream);
            try {
              store.append(
                  stream,
                  ExpectedVersion.exactly(version),
                  List.of(deposit("race", thread * 1000 + i)));
              wins.incrementAndGet();
            } catch (WrongExpectedVersionException e) {
              assertThat(e.actualVersion()).isGreaterThan(version);
              conflicts.incrementAndGet();
            }
          }
        });

    assertThat(wins.get() + conflicts.get()).isEqualTo(threads * attemptsPerThread);
    assertThat(wins.get()).isPositive();
    List<RecordedEvent> events = store.readStream(stream, 1, 10_000);
    assertThat(events).hasSize(wins.get());
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).version()).isEqualTo(i + 1L);
    }
    assertThat(events).extracting(RecordedEvent::position).isSorted().doesNotHaveDuplicates();
  }

  /** Many writers on their own streams: every event gets a unique position, versions contiguous. */
  @Test
  void concurrentWritersToManyStreamsGetUniqueOrderedPositions() throws Exception {
    int threads = 16;
    int appendsPerThread = 20;
    long before = store.lastPosition();
    Concurrently.run(
        threads,
        thread -> {
          for (int i = 0; i < appendsPerThread; i++) {
            store.append(
                stream("w" + thread),
                ExpectedVersion.exactly(2L * i),
                List.of(deposit("w", i), deposit("w", i)));
          }
        });

    List<RecordedEvent> mine =
        store.readAll(before + 1, 100_000).stream()
            .filter(e -> e.stream().startsWith(prefix))
            .toList();
    assertThat(mine).hasSize(threads * appendsPerThread * 2);
    assertThat(mine).extracting(RecordedEvent::position).isSorted().doesNotHaveDuplicates();
    Map<String, List<Long>> versions = new HashMap<>();
    for (RecordedEvent event : mine) {
      versions.computeIfAbsent(event.stream(), key -> new ArrayList<>()).add(event.version());
    }
    assertThat(versions).hasSize(threads);
    versions
        .values()
        .forEach(
            list -> {
              for (int i = 0; i < list.size(); i++) {
                assertThat(list.get(i)).isEqualTo(i + 1L);
              }
            });
  }

  @Test
  void subscriptionCatchesUpThenDeliversLiveEventsOnceInOrder() throws Exception {
    String stream = stream("sub");
    AppendResult first =
        store.append(stream, ExpectedVersion.noStream(), List.of(deposit("s", 1), deposit("s", 2)));
    List<RecordedEvent> received = Collections.synchronizedList(new ArrayList<>());
    try (Subscription subscription =
        store.subscribeAll(
            first.firstPosition(),
            event -> {
              if (event.stream().equals(stream)) {
                received.add(event);
              }
            })) {
      Eventually.awaitTrue(() -> received.size() == 2, "catch-up of 2 events");
      store.append(stream, ExpectedVersion.exactly(2), List.of(deposit("s", 3)));
      store.append(stream, ExpectedVersion.exactly(3), List.of(deposit("s", 4)));
      Eventually.awaitTrue(() -> received.size() == 4, "2 live events");
      assertThat(subscription.isRunning()).isTrue();
    }

    assertThat(received)
        .extracting(e -> ((Deposited) e.data()).amount())
        .containsExactly(1, 2, 3, 4);
  }

  @Test
  void aFailingHandlerStopsTheSubscriptionAtThatEvent() throws Exception {
    String stream = stream("fail");
    AppendResult appended =
        store.append(stream, ExpectedVersion.noStream(), List.of(deposit("x", 1), deposit("x", 2)));
    IllegalStateException boom = new IllegalStateException("projection broke");
    try (Subscription subscription =
        store.subscribeAll(
            appended.firstPosition(),
            event -> {
              if (event.position() == appended.lastPosition()) {
                throw boom;
              }
            })) {
      Eventually.awaitTrue(() -> !subscription.isRunning(), "the subscription to stop");
      assertThat(subscription.failure()).isSameAs(boom);
      assertThat(subscription.lastPosition()).isEqualTo(appended.firstPosition());
    }
  }

  private record Unregistered(String value) {}
}
