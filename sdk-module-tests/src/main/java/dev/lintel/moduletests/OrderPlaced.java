package dev.lintel.moduletests;

/**
 * The event an order's stream starts with.
 *
 * @param orderId the order
 * @param item what was ordered
 * @param quantity how many
 */
public record OrderPlaced(String orderId, String item, int quantity) {}
