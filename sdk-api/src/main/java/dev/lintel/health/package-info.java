/**
 * Health checks: small probes that say whether a component works, grouped into liveness (restart me
 * if this fails) and readiness (send me traffic only if this passes).
 */
@NullMarked
package dev.lintel.health;

import org.jspecify.annotations.NullMarked;
