/**
 * The health registry: checks run concurrently with timeouts, grouped into liveness and readiness,
 * rendered as JSON.
 */
@NullMarked
package dev.lintel.core.health;

import org.jspecify.annotations.NullMarked;
