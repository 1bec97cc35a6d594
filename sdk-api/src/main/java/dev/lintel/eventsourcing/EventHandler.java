package dev.lintel.eventsourcing;

/**
 * Receives events from a subscription, one at a time and in global order.
 *
 * <p>An exception stops the subscription at that event: it is not acknowledged and nothing after it
 * is delivered.
 */
@FunctionalInterface
public interface EventHandler {

  /**
   * Handles one event.
   *
   * @param event the event
   * @throws Exception to stop the subscription at this event
   */
  void handle(RecordedEvent event) throws Exception;
}
