/** Implementation details of sdk-redis; not API, may change in any release. */
@NullMarked
package dev.lintel.redis.internal;

import org.jspecify.annotations.NullMarked;
