/** {@link dev.lintel.openfeature.LintelProvider}: Lintel's flags through the OpenFeature API. */
@NullMarked
package dev.lintel.openfeature;

import org.jspecify.annotations.NullMarked;
