/**
 * Customers on two or more shard databases through Lintel's shard router, with a lookup by e-mail
 * address.
 */
@NullMarked
package dev.lintel.samples.orders.adapters.customers;

import org.jspecify.annotations.NullMarked;
