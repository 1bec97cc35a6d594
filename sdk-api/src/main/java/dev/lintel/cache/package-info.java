/**
 * Caching: a {@link dev.lintel.cache.Cache} per namespace with get-or-compute, the loader and
 * writer seams, codecs for keys and values, and the {@link dev.lintel.cache.RemoteCacheStore} SPI
 * that a shared second level (Redis in {@code sdk-redis}) implements.
 */
@NullMarked
package dev.lintel.cache;

import org.jspecify.annotations.NullMarked;
