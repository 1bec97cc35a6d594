package dev.lintel.moduletests;

import dev.lintel.cqrs.Command;

/**
 * Places an order for an item; answers the new order's id.
 *
 * @param item what is ordered
 * @param quantity how many
 */
public record PlaceOrder(String item, int quantity) implements Command<String> {}
