/** The database health check. */
@NullMarked
package dev.lintel.jdbc.health;

import org.jspecify.annotations.NullMarked;
