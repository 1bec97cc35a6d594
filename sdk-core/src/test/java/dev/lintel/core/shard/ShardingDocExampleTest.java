package dev.lintel.core.shard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.shard.MovePlan;
import dev.lintel.shard.Shard;
import dev.lintel.shard.ShardMove;
import dev.lintel.shard.ShardRouter;
import dev.lintel.shard.ShardStrategy;
import dev.lintel.shard.Topology;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The example of docs/sharding.md, compiled and run with the build: keep the two in step (the code
 * between the markers is the doc's code block).
 */
class ShardingDocExampleTest {

  record Customer(String country, String id) {}

  @Test
  void theDocumentedExampleRuns() {
    // --- docs/sharding.md: example ---
    Topology v1 =
        Topology.of(
            1,
            List.of(Shard.of("eu-1", "pg-eu-1"), Shard.of("eu-2", "pg-eu-2"), Shard.of("us-1")),
            ShardStrategy.geo()
                .location("eu", ShardStrategy.jump("eu-1", "eu-2")) // hash within the region
                .location("us", ShardStrategy.single("us-1"))
                .fallback("PT", "eu")
                .fallback("DE", "eu")
                .defaultLocation("us") // every other country
                .build());

    ShardRouter<Customer> router =
        ShardRouters.builder(v1, ShardKeyCodec.utf8(Customer::id)) // XXH64 of the id's UTF-8
            .locator(Customer::country)
            .build();
    Shard shard = router.shard(new Customer("PT", "c-42")); // eu-1 or eu-2, always the same
    String connection = shard.connection(); // what the host looks its DataSource up by

    // Grow the EU region: see exactly what moves before switching.
    Topology v2 =
        v1.next(
            List.of(
                Shard.of("eu-1", "pg-eu-1"),
                Shard.of("eu-2", "pg-eu-2"),
                Shard.of("eu-3", "pg-eu-3"),
                Shard.of("us-1")),
            ShardStrategy.geo()
                .location("eu", ShardStrategy.jump("eu-1", "eu-2", "eu-3"))
                .location("us", ShardStrategy.single("us-1"))
                .fallback("PT", "eu")
                .fallback("DE", "eu")
                .defaultLocation("us")
                .build());
    MovePlan plan = ShardPlanner.plan(v1, v2); // per location: 1/3 of its keys to eu-3
    String json = TopologyJson.write(v2); // what a topology store keeps
    // --- end of example ---

    assertThat(shard.id()).isIn("eu-1", "eu-2");
    assertThat(connection).isIn("pg-eu-1", "pg-eu-2");
    assertThat(router.route(new Customer("PT", "c-42"))).isEqualTo(shard.id());
    assertThat(plan.moves(ShardMove.Buckets.class))
        .extracting(ShardMove::scope)
        .containsOnly("geo[DE]", "geo[PT]", "geo[eu]");
    assertThat(plan.moves(ShardMove.Buckets.class))
        .allSatisfy(move -> assertThat(move.to()).isEqualTo("eu-3"));
    assertThat(TopologyJson.read(json)).isEqualTo(v2);
  }
}
