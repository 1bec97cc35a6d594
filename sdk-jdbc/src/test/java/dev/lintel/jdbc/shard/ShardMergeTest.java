package dev.lintel.jdbc.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardMergeTest {

  /** Four shards holding disjoint random numbers, each list sorted, as four sorted queries give. */
  private static ScatterResult<List<Integer>> fourShards(List<Integer> all) {
    List<List<Integer>> lists =
        List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (int value : all) {
      lists.get(Math.floorMod(value * 31, 4)).add(value);
    }
    lists.forEach(list -> list.sort(Comparator.naturalOrder()));
    return new ScatterResult<>(
        List.of("s0", "s1", "s2", "s3"),
        Map.of("s0", lists.get(0), "s1", lists.get(1), "s2", lists.get(2), "s3", lists.get(3)),
        Map.of(),
        Set.of());
  }

  private static List<Integer> randomDistinct(int count) {
    List<Integer> values = new ArrayList<>(IntStream.range(0, count * 3).boxed().toList());
    java.util.Collections.shuffle(values, new Random(42));
    return values.subList(0, count);
  }

  @Test
  void sortMergeAndPagesEqualSortingEverythingInOnePlace() {
    List<Integer> all = randomDistinct(1_000);
    ScatterResult<List<Integer>> result = fourShards(all);
    List<Integer> sorted = all.stream().sorted().toList();

    assertThat(ShardMerge.sortMerge(result, Comparator.naturalOrder())).isEqualTo(sorted);
    assertThat(ShardMerge.concat(result)).containsExactlyInAnyOrderElementsOf(all);
    for (int offset : List.of(0, 1, 37, 990, 1_000, 1_500)) {
      assertThat(ShardMerge.page(result, Comparator.naturalOrder(), offset, 25))
          .as("offset %d", offset)
          .isEqualTo(sorted.subList(Math.min(offset, 1_000), Math.min(offset + 25, 1_000)));
    }
  }

  /** Each shard returns only its first offset + limit rows, as the pushed-down LIMIT makes it. */
  @Test
  void aPageNeedsOnlyOffsetPlusLimitRowsFromEachShard() {
    List<Integer> all = randomDistinct(400);
    ScatterResult<List<Integer>> full = fourShards(all);
    int offset = 30;
    int limit = 20;
    int perShard = ShardMerge.perShardLimit(offset, limit);
    Map<String, List<Integer>> truncated = new java.util.LinkedHashMap<>();
    full.answers()
        .forEach((id, list) -> truncated.put(id, list.subList(0, Math.min(perShard, list.size()))));
    ScatterResult<List<Integer>> pushedDown =
        new ScatterResult<>(full.asked(), truncated, Map.of(), Set.of());

    assertThat(ShardMerge.page(pushedDown, Comparator.naturalOrder(), offset, limit))
        .isEqualTo(all.stream().sorted().skip(offset).limit(limit).toList());
  }

  @Test
  void aggregatesCombineTheShardsAnswers() {
    ScatterResult<Long> counts =
        new ScatterResult<>(
            List.of("a", "b", "c"), Map.of("a", 3L, "b", 0L, "c", 9L), Map.of(), Set.of());

    assertThat(ShardMerge.sum(counts)).isEqualTo(12);
    assertThat(ShardMerge.min(counts, Comparator.naturalOrder())).contains(0L);
    assertThat(ShardMerge.max(counts, Comparator.naturalOrder())).contains(9L);
    assertThatThrownBy(
            () -> ShardMerge.page(fourShards(List.of(1)), Comparator.naturalOrder(), -1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be negative");
  }
}
