package dev.lintel.redis.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

/** The key layout of the Redis shard components, without a server. */
class ShardNamesTest {

  @Test
  void aComponentsHashIsOneHashTagAndItsChannelSharesTheSlot() {
    String hash = ShardNames.hash("lintel:", "topology", "orders", ":published");

    assertThat(hash).isEqualTo("{lintel:shard:topology:orders}");
    assertThat(SlotHash.getSlot(hash + ":published")).isEqualTo(SlotHash.getSlot(hash));
    assertThat(SlotHash.getSlot(hash))
        .as("the tag, not the whole name, decides the slot")
        .isEqualTo(SlotHash.getSlot("lintel:shard:topology:orders"));
  }

  @Test
  void aPrefixWithItsOwnHashTagStillKeepsHashAndChannelTogether() {
    String hash = ShardNames.hash("{tenant-7}:", "directory", "tenants", ":changes");

    assertThat(SlotHash.getSlot(hash + ":changes")).isEqualTo(SlotHash.getSlot(hash));
  }

  @Test
  void aPrefixThatEmptiesTheHashTagIsRefused() {
    assertThatThrownBy(() -> ShardNames.hash("}x:", "topology", "orders", ":published"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "prefix '}x:' puts {}x:shard:topology:orders} and its channel into different cluster"
                + " slots: it must not start with '}'");
  }
}
