package dev.lintel.benchmarks;

import com.google.common.hash.Hashing;
import dev.lintel.core.shard.ShardKeyCodec;
import dev.lintel.core.shard.ShardRouters;
import dev.lintel.core.shard.Xxh64;
import dev.lintel.shard.RangeKeyType;
import dev.lintel.shard.Shard;
import dev.lintel.shard.ShardRouter;
import dev.lintel.shard.ShardStrategy;
import dev.lintel.shard.Topology;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Routing one key to a shard, for 8, 64 and 1024 shards, side by side with Guava's {@code
 * Hashing.consistentHash}. The target: {@code lintelJump} at least as fast as {@code
 * guavaConsistentHash}, and 0 B/op for every Lintel method.
 *
 * <p>Fairness: both sides route the same 1024 keys, pre-encoded as UTF-8 byte arrays, and do the
 * same work per call: hash the key's bytes to 64 bits, map the hash to a bucket with jump
 * consistent hash, and return that bucket's shard id. Guava has no XXH64, so its side hashes with
 * the same {@link Xxh64} Lintel uses, then calls {@code Hashing.consistentHash(long, int)} and
 * indexes the id array; Lintel's side goes through its {@link ShardRouter} (null check, codec,
 * hash, jump, id). Same hash, same algorithm (the setup checks that both give the same bucket for
 * every key), so the ratio measures the router and the jump implementation, not two hash functions.
 * Guava's own {@code murmur3_128().hashBytes(bytes)} was not used: it computes 128 bits through a
 * streaming hasher allocated per call, which would flatter Lintel. {@code lintelRendezvous} (one
 * score per shard, weights 1 and 2) and {@code lintelRange} (a binary search over {@code shards}
 * long ranges) have no peer here; they show what the other strategies cost.
 *
 * <pre>
 * ./mvnw -B -o package -pl sdk-benchmarks -am -DskipTests -q
 * java -jar sdk-benchmarks/target/benchmarks.jar ShardRouteBenchmark -f 1 -wi 2 -w 1s -i 3 -r 1s -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ShardRouteBenchmark {
  private static final int KEYS = 1024; // a power of two: the next key is an AND away

  @Param({"8", "64", "1024"})
  int shards;

  private byte[][] keys;
  private Long[] longKeys;
  private String[] ids;
  private ShardRouter<byte[]> jump;
  private ShardRouter<byte[]> rendezvous;
  private ShardRouter<Long> range;
  private int next;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    keys = new byte[KEYS][];
    longKeys = new Long[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = ("user-" + random.nextInt(100_000_000)).getBytes(StandardCharsets.UTF_8);
      longKeys[i] = random.nextLong();
    }
    ids = new String[shards];
    List<Shard> plain = new ArrayList<>();
    List<Shard> weighted = new ArrayList<>();
    List<ShardStrategy.KeyRange> ranges = new ArrayList<>();
    long step = Long.divideUnsigned(-1L, shards);
    for (int i = 0; i < shards; i++) {
      ids[i] = "shard-" + i;
      plain.add(Shard.of(ids[i]));
      weighted.add(Shard.of(ids[i]).withWeight(1 + i % 2));
      Long lower = i == 0 ? null : Long.MIN_VALUE + step * i;
      Long upper = i == shards - 1 ? null : Long.MIN_VALUE + step * (i + 1);
      ranges.add(ShardStrategy.KeyRange.of(lower, upper, ids[i]));
    }
    jump =
        ShardRouters.create(Topology.of(1, plain, ShardStrategy.jump(ids)), ShardKeyCodec.bytes());
    rendezvous =
        ShardRouters.create(
            Topology.of(1, weighted, ShardStrategy.rendezvous(ids)), ShardKeyCodec.bytes());
    range =
        ShardRouters.create(
            Topology.of(1, plain, new ShardStrategy.Range(RangeKeyType.LONG, ranges)),
            ShardKeyCodec.longs());
    for (byte[] key : keys) {
      String guava = ids[Hashing.consistentHash(Xxh64.hash(key), shards)];
      if (!jump.route(key).equals(guava)) {
        throw new IllegalStateException("Lintel and Guava disagree on a key: not the same work");
      }
    }
  }

  private int nextKey() {
    next = (next + 1) & (KEYS - 1);
    return next;
  }

  @Benchmark
  public String lintelJump() {
    return jump.route(keys[nextKey()]);
  }

  @Benchmark
  public String guavaConsistentHash() {
    byte[] key = keys[nextKey()];
    return ids[Hashing.consistentHash(Xxh64.hash(key), shards)];
  }

  @Benchmark
  public String lintelRendezvous() {
    return rendezvous.route(keys[nextKey()]);
  }

  @Benchmark
  public String lintelRange() {
    return range.route(longKeys[nextKey()]);
  }
}
