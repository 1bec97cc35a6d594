/**
 * Implementation details of sdk-core. Not API: anything here may change or disappear in any
 * release, and other modules must not use it (the architecture test enforces this).
 */
@NullMarked
package dev.lintel.core.internal;

import org.jspecify.annotations.NullMarked;
