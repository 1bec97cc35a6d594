package dev.lintel.core.cache;

import dev.lintel.cache.Cache;
import dev.lintel.cache.CacheLoader;
import dev.lintel.cache.KeyCodec;
import dev.lintel.testing.CacheContract;

/** The cache contract on an L1-only {@link TieredCache} (the embedded default). */
class L1CacheContractTest extends CacheContract {

  @Override
  protected Cache<String, Item> newCache(String namespace, CacheLoader<String, Item> loader) {
    return TieredCache.builder(namespace, KeyCodec.strings(), Item.class).loader(loader).build();
  }
}
