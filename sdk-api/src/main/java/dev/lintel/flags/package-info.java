/**
 * Feature flags: definitions ({@link dev.lintel.flags.Flag}), their evaluation for a user ({@link
 * dev.lintel.flags.FeatureFlags}), and the {@link dev.lintel.flags.FlagStore} SPI that keeps them
 * (in memory, or in Redis shared by every node).
 */
@NullMarked
package dev.lintel.flags;

import org.jspecify.annotations.NullMarked;
