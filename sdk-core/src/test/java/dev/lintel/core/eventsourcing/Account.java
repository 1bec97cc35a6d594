package dev.lintel.core.eventsourcing;

/** A test aggregate: a bank account that can be snapshotted. */
final class Account extends AggregateRoot implements Snapshotting<Account.State> {
  record Opened(String owner) {}

  record Deposited(int amount) {}

  record Withdrawn(int amount) {}

  record State(String owner, int balance, int operations) {}

  private String owner = "";
  private int balance;
  private int operations;
  private int applied;

  void open(String newOwner) {
    if (version() > 0 || !pendingEvents().isEmpty()) {
      throw new IllegalStateException("account already open");
    }
    raise(new Opened(newOwner));
  }

  int deposit(int amount) {
    raise(new Deposited(amount));
    return balance;
  }

  void withdraw(int amount) {
    if (amount > balance) {
      throw new IllegalStateException("insufficient funds: " + balance + " < " + amount);
    }
    raise(new Withdrawn(amount));
  }

  @Override
  protected void apply(Object event) {
    applied++;
    if (event instanceof Opened opened) {
      owner = opened.owner();
    } else if (event instanceof Deposited deposited) {
      balance += deposited.amount();
      operations++;
    } else if (event instanceof Withdrawn withdrawn) {
      balance -= withdrawn.amount();
      operations++;
    }
  }

  @Override
  public State snapshot() {
    return new State(owner, balance, operations);
  }

  @Override
  public void restore(State state) {
    owner = state.owner();
    balance = state.balance();
    operations = state.operations();
  }

  String owner() {
    return owner;
  }

  int balance() {
    return balance;
  }

  int operations() {
    return operations;
  }

  /** How many events this instance applied: tells a snapshot load from a full replay. */
  int applied() {
    return applied;
  }

  static EventSerializer serializer() {
    return JacksonEventSerializer.builder()
        .type(Opened.class, "account-opened")
        .type(Deposited.class, "account-deposited")
        .type(Withdrawn.class, "account-withdrawn")
        .type(State.class, "account-snapshot")
        .build();
  }
}
