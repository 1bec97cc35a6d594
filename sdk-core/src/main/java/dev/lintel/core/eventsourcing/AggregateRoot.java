package dev.lintel.core.eventsourcing;

import java.util.ArrayList;
import java.util.List;

/**
 * The base of an event-sourced aggregate: its state is rebuilt by {@link #apply(Object)}ing its
 * stored events in order, and its decisions are recorded with {@link #raise(Object)}, which applies
 * the new event at once and keeps it until the repository saves it.
 *
 * <pre>{@code
 * final class Account extends AggregateRoot {
 *   private int balance;
 *
 *   void withdraw(int amount) {
 *     if (amount > balance) throw new IllegalStateException("insufficient funds");
 *     raise(new Withdrawn(amount));
 *   }
 *
 *   protected void apply(Object event) {
 *     if (event instanceof Deposited d) {
 *       balance += d.amount();
 *     } else if (event instanceof Withdrawn w) {
 *       balance -= w.amount();
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>An instance is used by one thread at a time: load, decide, save. It is not thread-safe.
 */
public abstract class AggregateRoot {
  private long version;
  private final List<Object> pending = new ArrayList<>();

  /** Creates an aggregate with no events. */
  protected AggregateRoot() {}

  /**
   * Changes the state for one event. Called for stored events while loading and for raised ones; it
   * must not make decisions or throw for an event that was stored.
   *
   * @param event the domain event
   */
  protected abstract void apply(Object event);

  /**
   * Records a new event: applies it and keeps it to be saved.
   *
   * @param event the domain event
   */
  protected final void raise(Object event) {
    apply(event);
    pending.add(event);
  }

  /**
   * Tells the version of the stream this aggregate was loaded from (or last saved at), not counting
   * events raised since.
   *
   * @return the stream version, 0 for a new aggregate
   */
  public final long version() {
    return version;
  }

  /**
   * Lists the events raised since loading or saving.
   *
   * @return the new events, in order
   */
  public final List<Object> pendingEvents() {
    return List.copyOf(pending);
  }

  final void replay(Object event, long eventVersion) {
    apply(event);
    version = eventVersion;
  }

  final void restoredAt(long snapshotVersion) {
    version = snapshotVersion;
  }

  final void saved(long newVersion) {
    pending.clear();
    version = newVersion;
  }
}
