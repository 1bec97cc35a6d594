/**
 * Spring Boot auto-configuration for Lintel: a {@link dev.lintel.core.Lintel} runtime bean whose
 * lifecycle follows the application context, handlers discovered from beans ({@link
 * dev.lintel.spring.boot.autoconfigure.HandlesCommand}, {@link
 * dev.lintel.spring.boot.autoconfigure.HandlesQuery} or the handler interfaces), the event store on
 * the application's {@code DataSource}, Redis flag and cache stores, Actuator health and Micrometer
 * metrics. Every bean backs off when the application defines its own.
 */
@NullMarked
package dev.lintel.spring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
