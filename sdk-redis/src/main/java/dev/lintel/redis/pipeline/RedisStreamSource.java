package dev.lintel.redis.pipeline;

import dev.lintel.pipeline.Sink;
import dev.lintel.pipeline.Source;
import dev.lintel.redis.RedisConnector;
import dev.lintel.redis.internal.RedisKeyspace;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.models.stream.PendingMessage;
import io.lettuce.core.models.stream.PendingMessages;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a Redis stream as one consumer of a consumer group, so that several pipeline instances
 * (nodes) share the stream's entries. Works on a standalone Redis and on a Redis Cluster (see
 * {@link RedisConnector}): every command touches one key, so on a cluster it goes to the master of
 * that key's slot.
 *
 * <ul>
 *   <li><b>Reading.</b> {@code XREADGROUP} of new entries, up to 100 at a time, waiting up to 500
 *       ms for them (200 ms less than the connector's command timeout when that is under 700 ms;
 *       under 250 ms it reads without waiting and polls every 50 ms), on a connection of its own
 *       (on a cluster, a cluster connection of its own with its own node connections), since a
 *       blocked read holds its connection; every other command goes over a second connection.
 *   <li><b>Outages.</b> A read, claim or acknowledgement that Redis fails (a failover, a restart, a
 *       pause, a dropped connection) is retried with backoff for up to {@link
 *       Builder#outageTolerance(Duration)} (30 s by default) before the source (or the
 *       acknowledging sink) throws and the stage's error policy decides; entries delivered before
 *       and not acknowledged stay pending and are claimed again after their lease. A claim round
 *       cut off half-way may dead-letter an entry twice.
 *   <li><b>Acknowledging.</b> Only after the sink succeeded: wrap the sink with {@link
 *       #acking(Sink)} or {@link #ackingBatches(Sink)}, which {@code XACK} the entries once it
 *       returned. A sink that throws leaves the entry pending (use {@code ErrorPolicy.skip()} on
 *       the sink so the pipeline goes on) and records the error for the dead letter.
 *   <li><b>Take-over.</b> Every half lease, {@code XAUTOCLAIM} claims entries pending longer than
 *       the lease (30 s by default) from any consumer, including one that crashed, and delivers
 *       them again: delivery is at least once, so sinks should be idempotent by entry id.
 *   <li><b>Poison entries.</b> A claimed entry that Redis has delivered more than {@code
 *       maxDeliveries} times (5 by default) is not delivered again: it is added to the dead-letter
 *       stream ({@code <stream>:dead} by default) with its fields, {@code entry} (its id), {@code
 *       deliveries} and {@code error} (the last error a sink recorded), then acknowledged.
 *   <li><b>Trimming.</b> With {@link Builder#trimAcknowledged(boolean)}, every claim round trims
 *       the stream ({@code XTRIM MINID}) below the oldest entry still pending, or below the last
 *       one delivered when none is; only right when this group is the stream's only reader.
 *   <li><b>End.</b> By default it waits for new entries until the pipeline closes. With {@link
 *       Builder#endWhenDrained(boolean)} it ends once the group has nothing new and nothing pending
 *       (every node's entries acknowledged or dead-lettered): a batch job over a filled stream.
 * </ul>
 *
 * <p>It has no position: the group's state in Redis is the checkpoint. {@link #read()} is called by
 * one thread; the acknowledging sinks may be called from several. {@link #close()} closes its two
 * connections, not the connector.
 *
 * <p>Keys: the stream, its dead-letter stream and the hash {@code <stream>:errors:<group>} of
 * recorded errors. No command touches two of them at once, so on a cluster they may live in
 * different slots; name the stream with a hash tag ({@code {orders}}) to keep them together.
 */
public final class RedisStreamSource implements Source<StreamEntry> {
  private static final Logger log = LoggerFactory.getLogger(RedisStreamSource.class);

  private final String stream;
  private final String group;
  private final Consumer<String> consumer;
  private final Duration lease;
  private final int maxDeliveries;
  private final String deadLetterStream;
  private final String errorsKey;
  private final int readCount;
  private final @Nullable Duration block; // null: poll without BLOCK
  private final boolean endWhenDrained;
  private final boolean trim;
  private final RedisKeyspace<String> reader;
  private final RedisKeyspace<String> control;
  private final ArrayDeque<StreamEntry> ready = new ArrayDeque<>();
  private final Duration outageTolerance;
  private final XReadArgs.StreamOffset<String>[] newEntries;
  private String claimCursor = "0-0";
  private long nextClaim;
  private volatile boolean stopped;

  private RedisStreamSource(Builder builder) {
    this.stream = builder.stream;
    this.group = builder.group;
    this.consumer = Consumer.from(builder.group, builder.consumer);
    this.lease = builder.lease;
    this.maxDeliveries = builder.maxDeliveries;
    this.deadLetterStream =
        builder.deadLetterStream != null ? builder.deadLetterStream : stream + ":dead";
    this.errorsKey = stream + ":errors:" + group;
    this.readCount = builder.readCount;
    this.endWhenDrained = builder.endWhenDrained;
    this.trim = builder.trim;
    this.outageTolerance = builder.outageTolerance;
    this.newEntries = offsets(XReadArgs.StreamOffset.lastConsumed(stream));
    this.reader = RedisKeyspace.open(builder.connector, StringCodec.UTF8);
    this.block = waitFor(reader.commandTimeout(CommandType.XREADGROUP));
    try {
      this.control = RedisKeyspace.open(builder.connector, StringCodec.UTF8);
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
    try {
      createGroup();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Starts building a source reading {@code stream} as {@code consumer} of {@code group}.
   *
   * @param connector a standalone Redis or a cluster, on which the source opens its two
   *     connections; the host owns and closes it
   * @param stream the stream's key
   * @param group the consumer group, created (with the stream) from the start if missing
   * @param consumer this node's name in the group, unique per node and stable across restarts
   * @return a builder
   * @throws IllegalArgumentException if a name is blank
   */
  public static Builder using(
      RedisConnector connector, String stream, String group, String consumer) {
    return new Builder(connector, stream, group, consumer);
  }

  /*
   * A read must come back before Lettuce's command timeout fails it, or an empty stream would fail
   * the pipeline. Redis ends a blocked read up to 1/hz (100 ms by default) after its BLOCK time, so
   * the wait leaves a margin of 200 ms below the timeout. A timeout too short for a useful wait
   * (under 250 ms) makes the source poll: read without BLOCK, and sleep a little when it found
   * nothing.
   */
  private static final Duration WAIT = Duration.ofMillis(500);
  private static final Duration TIMEOUT_MARGIN = Duration.ofMillis(200);
  private static final Duration SHORTEST_WAIT = Duration.ofMillis(50);
  private static final long POLL_MILLIS = 50;

  private static @Nullable Duration waitFor(Duration commandTimeout) {
    Duration longest = commandTimeout.minus(TIMEOUT_MARGIN);
    if (longest.compareTo(WAIT) >= 0) {
      return WAIT;
    }
    return longest.compareTo(SHORTEST_WAIT) >= 0 ? longest : null;
  }

  /**
   * Lettuce takes stream offsets as generic varargs; the array is made once, here. Returning it is
   * what the varargs lint warns about, and is safe: it only ever holds offsets of strings.
   */
  @SafeVarargs
  @SuppressWarnings("varargs")
  private static <T> T[] offsets(T... offsets) {
    return offsets;
  }

  private void createGroup() {
    try {
      control
          .sync()
          .xgroupCreate(
              XReadArgs.StreamOffset.from(stream, "0-0"),
              group,
              XGroupCreateArgs.Builder.mkstream());
    } catch (RedisBusyException exists) {
      // BUSYGROUP: the group is there already
    }
  }

  @Override
  public @Nullable StreamEntry read() throws InterruptedException {
    while (true) {
      StreamEntry next = ready.poll();
      if (next != null) {
        return next;
      }
      if (stopped) {
        return null;
      }
      if (Outage.retrying(stream, outageTolerance, this::fetch)) {
        return null; // drained
      }
    }
  }

  /**
   * One round: claims what is due, then reads new entries (waiting for them when the connector's
   * timeout allows); true when the source is drained and should end.
   */
  private boolean fetch() throws InterruptedException {
    if (stopped) {
      return false; // stopped during an outage: read() sees it and ends
    }
    long now = System.nanoTime();
    if (now - nextClaim >= 0) {
      claim();
      nextClaim = now + lease.toNanos() / 2;
      if (!ready.isEmpty()) {
        return false;
      }
    }
    XReadArgs args = XReadArgs.Builder.count(readCount);
    if (block != null) {
      args.block(block);
    }
    List<StreamMessage<String, String>> fresh =
        reader.sync().xreadgroup(consumer, args, newEntries);
    for (StreamMessage<String, String> message : fresh) {
      ready.add(new StreamEntry(message.getId(), message.getBody()));
    }
    if (ready.isEmpty() && endWhenDrained && pending() == 0) {
      if (trim) {
        trim(control.sync());
      }
      return true;
    }
    if (fresh.isEmpty() && block == null) {
      Thread.sleep(POLL_MILLIS);
    }
    return false;
  }

  /** Claims entries idle for longer than the lease; dead-letters those delivered too often. */
  private void claim() {
    RedisClusterCommands<String, String> redis = control.sync();
    ClaimedMessages<String, String> claimed =
        redis.xautoclaim(
            stream,
            XAutoClaimArgs.Builder.xautoclaim(consumer, lease, claimCursor).count(readCount));
    claimCursor = claimed.getId();
    for (StreamMessage<String, String> message : claimed.getMessages()) {
      long deliveries = deliveries(redis, message.getId());
      if (deliveries > maxDeliveries) {
        deadLetter(redis, message, deliveries);
      } else {
        ready.add(new StreamEntry(message.getId(), message.getBody()));
      }
    }
    if (!claimed.getMessages().isEmpty()) {
      log.info(
          "Stream '{}' group '{}': {} claimed {} entries idle for over {} ms",
          stream,
          group,
          consumer.getName(),
          claimed.getMessages().size(),
          lease.toMillis());
    }
    if (trim) {
      trim(redis);
    }
  }

  private long deliveries(RedisClusterCommands<String, String> redis, String id) {
    List<PendingMessage> pending =
        redis.xpending(stream, group, Range.create(id, id), Limit.from(1));
    return pending.isEmpty() ? 0 : pending.get(0).getRedeliveryCount();
  }

  private void deadLetter(
      RedisClusterCommands<String, String> redis,
      StreamMessage<String, String> message,
      long deliveries) {
    String error = redis.hget(errorsKey, message.getId());
    Map<String, String> letter = new LinkedHashMap<>(message.getBody());
    letter.put("entry", message.getId());
    letter.put("deliveries", Long.toString(deliveries));
    letter.put("error", error != null ? error : "unknown: no sink recorded an error");
    redis.xadd(deadLetterStream, letter);
    redis.xack(stream, group, message.getId());
    redis.hdel(errorsKey, message.getId());
    log.warn(
        "Stream '{}' group '{}': entry {} delivered {} times went to '{}': {}",
        stream,
        group,
        message.getId(),
        deliveries,
        deadLetterStream,
        letter.get("error"));
  }

  private void trim(RedisClusterCommands<String, String> redis) {
    PendingMessages summary = redis.xpending(stream, group);
    String below;
    if (summary.getCount() > 0) {
      below = summary.getMessageIds().getLower().getValue();
    } else {
      below = lastDelivered(redis);
    }
    if (below != null && !below.equals("0-0")) {
      redis.xtrim(stream, XTrimArgs.Builder.minId(below));
    }
  }

  private @Nullable String lastDelivered(RedisClusterCommands<String, String> redis) {
    for (Object info : redis.xinfoGroups(stream)) {
      if (info instanceof List<?> fields) {
        Map<String, Object> byName = new LinkedHashMap<>();
        for (int i = 0; i + 1 < fields.size(); i += 2) {
          byName.put(String.valueOf(fields.get(i)), fields.get(i + 1));
        }
        if (group.equals(String.valueOf(byName.get("name")))) {
          Object last = byName.get("last-delivered-id");
          return last == null ? null : String.valueOf(last);
        }
      }
    }
    return null;
  }

  private long pending() {
    return control.sync().xpending(stream, group).getCount();
  }

  /**
   * Wraps a sink so that an entry is acknowledged ({@code XACK}) once the sink returned; when it
   * throws, the error is recorded for the dead letter and the entry stays pending for redelivery.
   *
   * @param sink the sink of entries
   * @return the acknowledging sink
   */
  public Sink<StreamEntry> acking(Sink<StreamEntry> sink) {
    Objects.requireNonNull(sink, "sink");
    return entry -> {
      try {
        sink.accept(entry);
      } catch (Exception e) {
        recordError(List.of(entry), e);
        throw e;
      }
      ack(List.of(entry));
    };
  }

  /**
   * Wraps a sink of batches so that a batch's entries are acknowledged with one {@code XACK} once
   * the sink returned. When the sink throws for a batch, each entry is tried again alone, so that
   * one poison entry does not hold back the others: those that succeed are acknowledged, those that
   * fail again have their error recorded and stay pending for redelivery (and, after the delivery
   * cap, the dead-letter stream); they are logged at WARN, and the wrapped sink returns normally.
   *
   * @param sink the sink of batches
   * @return the acknowledging sink
   */
  public Sink<List<StreamEntry>> ackingBatches(Sink<List<StreamEntry>> sink) {
    Objects.requireNonNull(sink, "sink");
    return batch -> {
      if (batch.isEmpty()) {
        return;
      }
      boolean accepted = false;
      try {
        sink.accept(batch);
        accepted = true;
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception batchFailed) {
        log.debug(
            "Stream '{}': a batch of {} failed; trying its entries alone",
            stream,
            batch.size(),
            batchFailed);
      }
      if (accepted) {
        ack(batch); // outside the try: a failed acknowledgement must not run the sink again
        return;
      }
      List<StreamEntry> done = new ArrayList<>(batch.size());
      for (StreamEntry entry : batch) {
        try {
          sink.accept(List.of(entry));
          done.add(entry);
        } catch (InterruptedException e) {
          throw e;
        } catch (Exception e) {
          recordError(List.of(entry), e);
          log.warn(
              "Stream '{}': entry {} left pending for redelivery: {}",
              stream,
              entry.id(),
              e.toString());
        }
      }
      if (!done.isEmpty()) {
        ack(done);
      }
    };
  }

  /**
   * Acknowledges entries the sink is done with, retrying ({@code XACK} is idempotent) through an
   * outage of up to the outage tolerance; past it the failure is thrown and the entries stay
   * pending for redelivery after their lease.
   */
  private void ack(List<StreamEntry> entries) throws InterruptedException {
    String[] ids = entries.stream().map(StreamEntry::id).toArray(String[]::new);
    Outage.retrying(stream, outageTolerance, () -> control.sync().xack(stream, group, ids));
  }

  private void recordError(List<StreamEntry> entries, Exception error) {
    Map<String, String> errors = new LinkedHashMap<>();
    for (StreamEntry entry : entries) {
      errors.put(entry.id(), String.valueOf(error));
    }
    try {
      control.sync().hset(errorsKey, errors);
    } catch (RuntimeException e) {
      log.warn("Stream '{}': could not record the error of {} entries", stream, entries.size(), e);
    }
  }

  @Override
  public void stop() {
    stopped = true;
  }

  /** Closes the source's two connections; pending entries stay pending in Redis. */
  @Override
  public void close() {
    stopped = true;
    reader.close();
    control.close();
  }

  /** Builds a {@link RedisStreamSource}. Not thread-safe. */
  public static final class Builder {
    private final RedisConnector connector;
    private final String stream;
    private final String group;
    private final String consumer;
    private Duration lease = Duration.ofSeconds(30);
    private int maxDeliveries = 5;
    private @Nullable String deadLetterStream;
    private int readCount = 100;
    private boolean endWhenDrained;
    private boolean trim;
    private Duration outageTolerance = Duration.ofSeconds(30);

    private Builder(RedisConnector connector, String stream, String group, String consumer) {
      this.connector = Objects.requireNonNull(connector, "connector");
      this.stream = name("stream", stream);
      this.group = name("group", group);
      this.consumer = name("consumer", consumer);
    }

    private static String name(String what, String value) {
      Objects.requireNonNull(value, what);
      if (value.isBlank()) {
        throw new IllegalArgumentException(what + " must not be blank but was '" + value + "'");
      }
      return value;
    }

    /**
     * Sets how long an entry may stay pending (delivered, not acknowledged) before another consumer
     * claims it; 30 s by default. Longer than the slowest sink call.
     *
     * @param lease the lease, positive
     * @return this builder
     * @throws IllegalArgumentException if the lease is not positive
     */
    public Builder lease(Duration lease) {
      Objects.requireNonNull(lease, "lease");
      if (lease.isNegative() || lease.isZero()) {
        throw new IllegalArgumentException("lease must be positive but was " + lease);
      }
      this.lease = lease;
      return this;
    }

    /**
     * Sets how many deliveries an entry gets before it goes to the dead-letter stream; 5 by
     * default.
     *
     * @param deliveries at least 1
     * @return this builder
     * @throws IllegalArgumentException if less than 1
     */
    public Builder maxDeliveries(int deliveries) {
      if (deliveries < 1) {
        throw new IllegalArgumentException(
            "maxDeliveries must be at least 1 but was " + deliveries);
      }
      this.maxDeliveries = deliveries;
      return this;
    }

    /**
     * Names the dead-letter stream; {@code <stream>:dead} by default.
     *
     * @param key the stream's key
     * @return this builder
     */
    public Builder deadLetterStream(String key) {
      this.deadLetterStream = name("deadLetterStream", key);
      return this;
    }

    /**
     * Sets how many entries one read or claim asks for; 100 by default.
     *
     * @param count at least 1
     * @return this builder
     * @throws IllegalArgumentException if less than 1
     */
    public Builder readCount(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("readCount must be at least 1 but was " + count);
      }
      this.readCount = count;
      return this;
    }

    /**
     * Ends the source once the group has no new and no pending entries, for batch jobs; off by
     * default (the source waits for entries until the pipeline closes).
     *
     * @param end whether to end when drained
     * @return this builder
     */
    public Builder endWhenDrained(boolean end) {
      this.endWhenDrained = end;
      return this;
    }

    /**
     * Trims acknowledged entries off the stream at each claim round; off by default. Only right
     * when this group is the stream's only reader.
     *
     * @param trim whether to trim
     * @return this builder
     */
    public Builder trimAcknowledged(boolean trim) {
      this.trim = trim;
      return this;
    }

    /**
     * Sets how long reads, claims and acknowledgements keep being retried while Redis fails them (a
     * failover, a restart, a dropped connection) before {@link RedisStreamSource#read()} (or the
     * acknowledging sink) throws; 30 s by default. Retries back off from 100 ms to 1 s; the outage
     * is logged once as it starts and once as it ends. Entries delivered before the outage and not
     * acknowledged stay pending and are claimed again after their lease, so none is lost.
     *
     * @param tolerance zero or more; zero fails at the first error
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder outageTolerance(Duration tolerance) {
      Objects.requireNonNull(tolerance, "tolerance");
      if (tolerance.isNegative()) {
        throw new IllegalArgumentException(
            "outageTolerance must not be negative but was " + tolerance);
      }
      this.outageTolerance = tolerance;
      return this;
    }

    /**
     * Opens the source's connections and creates the group if it is missing.
     *
     * @return the source
     */
    public RedisStreamSource build() {
      return new RedisStreamSource(this);
    }
  }
}
