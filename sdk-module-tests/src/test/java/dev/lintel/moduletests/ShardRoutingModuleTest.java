package dev.lintel.moduletests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.core.shard.ShardKeyCodec;
import dev.lintel.core.shard.ShardRouters;
import dev.lintel.core.shard.TopologyJson;
import dev.lintel.shard.ShardRouter;
import dev.lintel.shard.Topology;
import org.junit.jupiter.api.Test;

/**
 * Sharding on the module path: the contracts ({@code dev.lintel.shard}, module {@code
 * dev.lintel.api}) and the routers ({@code dev.lintel.core.shard}, module {@code dev.lintel.core})
 * are exported, and a topology read from JSON routes keys.
 */
class ShardRoutingModuleTest {

  @Test
  void aRouterBuiltFromATopologyReadFromJsonRoutesAKey() {
    Topology topology =
        TopologyJson.read(
            """
            {"format": 1, "version": 1,
             "shards": [{"id": "s0"}, {"id": "s1"}, {"id": "s2"}],
             "strategy": {"type": "jump", "buckets": ["s0", "s1", "s2"]}}
            """);
    ShardRouter<String> router = ShardRouters.create(topology, ShardKeyCodec.strings());

    String shard = router.route("customer-42");
    assertThat(shard).isIn("s0", "s1", "s2");
    assertThat(router.route("customer-42")).isEqualTo(shard);
    assertThat(ShardRouter.class.getModule().getName()).isEqualTo("dev.lintel.api");
    assertThat(ShardRouters.class.getModule().getName()).isEqualTo("dev.lintel.core");
  }
}
