package dev.lintel.core.eventsourcing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.core.cqrs.LocalCommandBus;
import dev.lintel.cqrs.Command;
import dev.lintel.eventsourcing.AppendResult;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.Snapshot;
import dev.lintel.eventsourcing.SnapshotStore;
import dev.lintel.eventsourcing.WrongExpectedVersionException;
import dev.lintel.testing.Concurrently;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventSourcedRepositoryTest {
  private final InMemoryEventStore store = InMemoryEventStore.create(Account.serializer());

  record Deposit(String accountId, int amount) implements Command<Integer> {}

  private EventSourcedRepository.Builder<Account> accounts() {
    return EventSourcedRepository.builder(store, Account::new).streamPrefix("account-");
  }

  @Test
  void aNewAggregateIsEmptyAtVersionZeroAndSavedEventsRebuildIt() {
    EventSourcedRepository<Account> repository = accounts().build();
    Account account = repository.load("1");
    assertThat(account.version()).isZero();

    account.open("ada");
    account.deposit(100);
    account.withdraw(30);
    AppendResult saved = repository.save("1", account);

    assertThat(saved.version()).isEqualTo(3);
    assertThat(account.version()).isEqualTo(3);
    assertThat(account.pendingEvents()).isEmpty();
    Account loaded = repository.load("1");
    assertThat(loaded.owner()).isEqualTo("ada");
    assertThat(loaded.balance()).isEqualTo(70);
    assertThat(loaded.version()).isEqualTo(3);
    assertThat(store.readStream("account-1", 1, 10)).hasSize(3);
    assertThat(repository.save("1", loaded)).isNull();
  }

  @Test
  void aConcurrentChangeIsAConflictNotALostUpdate() {
    EventSourcedRepository<Account> repository = accounts().build();
    Account setup = repository.load("2");
    setup.open("bob");
    repository.save("2", setup);
    Account first = repository.load("2");
    Account second = repository.load("2");

    first.deposit(10);
    repository.save("2", first);
    second.deposit(20);

    assertThatThrownBy(() -> repository.save("2", second))
        .isInstanceOfSatisfying(
            WrongExpectedVersionException.class,
            e -> {
              assertThat(e.stream()).isEqualTo("account-2");
              assertThat(e.actualVersion()).isEqualTo(2);
            });
    assertThat(repository.load("2").balance()).isEqualTo(10);
  }

  /** 16 threads deposit into one account; with retries every deposit lands exactly once. */
  @Test
  void executeRetriesConflictsSoConcurrentCommandsAllLand() throws Exception {
    EventSourcedRepository<Account> repository = accounts().retryOnConflict(1_000).build();
    repository.execute(
        "3",
        account -> {
          account.open("cy");
          return null;
        });
    int threads = 16;
    int depositsPerThread = 25;

    Concurrently.run(
        threads,
        thread -> {
          for (int i = 0; i < depositsPerThread; i++) {
            repository.execute("3", account -> account.deposit(1));
          }
        });

    Account account = repository.load("3");
    assertThat(account.balance()).isEqualTo(threads * depositsPerThread);
    assertThat(account.version()).isEqualTo(threads * depositsPerThread + 1L);
  }

  @Test
  void withoutRetriesTheConflictReachesTheCaller() {
    EventSourcedRepository<Account> repository = accounts().build();
    repository.execute(
        "4",
        account -> {
          account.open("dee");
          return null;
        });

    assertThatThrownBy(
            () ->
                repository.execute(
                    "4",
                    account -> {
                      // Someone else writes between this load and its save.
                      store.append(
                          "account-4",
                          ExpectedVersion.any(),
                          java.util.List.of(NewEvent.of(new Account.Deposited(5))));
                      return account.deposit(1);
                    }))
        .isInstanceOf(WrongExpectedVersionException.class);
  }

  @Test
  void snapshotsAreTakenEveryNEventsAndLoadingReplaysOnlyTheEventsAfter() {
    InMemorySnapshotStore snapshots = new InMemorySnapshotStore();
    EventSourcedRepository<Account> repository = accounts().snapshots(snapshots, 100).build();
    repository.execute(
        "5",
        account -> {
          account.open("eve");
          return null;
        });
    for (int batch = 0; batch < 25; batch++) {
      repository.execute(
          "5",
          account -> {
            for (int i = 0; i < 10; i++) {
              account.deposit(1);
            }
            return null;
          });
    }

    Optional<Snapshot> snapshot = snapshots.latest("account-5");
    assertThat(snapshot).isPresent();
    assertThat(snapshot.get().version()).isEqualTo(201);
    Account loaded = repository.load("5");
    assertThat(loaded.balance()).isEqualTo(250);
    assertThat(loaded.operations()).isEqualTo(250);
    assertThat(loaded.version()).isEqualTo(251);
    assertThat(loaded.applied()).isEqualTo(50);
  }

  @Test
  void anUnreadableSnapshotFallsBackToAFullReplay() {
    SnapshotStore broken =
        new SnapshotStore() {
          @Override
          public Optional<Snapshot> latest(String stream) {
            throw new IllegalStateException("snapshot table is corrupt");
          }

          @Override
          public void save(Snapshot snapshot) {
            throw new IllegalStateException("snapshot table is read-only");
          }
        };
    EventSourcedRepository<Account> repository = accounts().snapshots(broken, 1).build();

    repository.execute(
        "6",
        account -> {
          account.open("fay");
          return account.deposit(7);
        });

    Account loaded = repository.load("6");
    assertThat(loaded.balance()).isEqualTo(7);
    assertThat(loaded.applied()).isEqualTo(2);
  }

  @Test
  void aggregateMethodsBecomeCommandHandlers() {
    EventSourcedRepository<Account> repository = accounts().retryOnConflict(3).build();
    repository.execute(
        "7",
        account -> {
          account.open("gus");
          return null;
        });
    LocalCommandBus bus = LocalCommandBus.create();
    bus.register(
        Deposit.class, repository.handler(Deposit::accountId, (a, c) -> a.deposit(c.amount())));

    int balance = bus.send(new Deposit("7", 40));

    assertThat(balance).isEqualTo(40);
    assertThat(repository.load("7").balance()).isEqualTo(40);
  }

  @Test
  void badSettingsAreRejectedAtOnce() {
    assertThatThrownBy(() -> accounts().snapshots(new InMemorySnapshotStore(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("snapshot interval must be positive but was 0");
    assertThatThrownBy(() -> accounts().retryOnConflict(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retries must not be negative but was -1");
  }
}
