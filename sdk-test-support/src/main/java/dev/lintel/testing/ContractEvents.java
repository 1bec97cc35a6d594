package dev.lintel.testing;

import java.util.Map;

/** Domain events used by the event store contract, with the type names a store must register. */
public final class ContractEvents {
  private ContractEvents() {}

  /**
   * Money paid into an account.
   *
   * @param account the account
   * @param amount the amount
   */
  public record Deposited(String account, int amount) {}

  /**
   * Money taken out of an account.
   *
   * @param account the account
   * @param amount the amount
   */
  public record Withdrawn(String account, int amount) {}

  /**
   * A payload the store's size limit must refuse when large.
   *
   * @param text the payload
   */
  public record Note(String text) {}

  /**
   * The event classes and their type names, to register with the store's serializer.
   *
   * @return class to type name
   */
  public static Map<Class<?>, String> types() {
    return Map.of(Deposited.class, "deposited", Withdrawn.class, "withdrawn", Note.class, "note");
  }
}
