package dev.lintel.jdbc.shard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a scatter-gather call got from each shard it asked: the answers, the failures and the shards
 * that did not answer in time. Never silently short: {@link #isComplete()} tells whether every
 * shard answered. Immutable; maps and sets iterate in the order the shards were asked.
 *
 * @param <T> each shard's result type
 */
public final class ScatterResult<T> {
  private final List<String> asked;
  private final Map<String, T> answers;
  private final Map<String, Throwable> failures;
  private final Set<String> timedOut;

  ScatterResult(
      List<String> asked,
      Map<String, T> answers,
      Map<String, Throwable> failures,
      Set<String> timedOut) {
    this.asked = List.copyOf(asked);
    this.answers = Collections.unmodifiableMap(new LinkedHashMap<>(answers));
    this.failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    this.timedOut = Collections.unmodifiableSet(new LinkedHashSet<>(timedOut));
  }

  /**
   * Tells which shards were asked.
   *
   * @return their ids
   */
  public List<String> asked() {
    return asked;
  }

  /**
   * Gives the answers of the shards that answered, by shard id.
   *
   * @return the answers
   */
  public Map<String, T> answers() {
    return answers;
  }

  /**
   * Gives the answers alone, in the order the shards were asked.
   *
   * @return the answers
   */
  public List<T> values() {
    return new ArrayList<>(answers.values());
  }

  /**
   * Gives the failures of the shards whose work failed, by shard id.
   *
   * @return the failures
   */
  public Map<String, Throwable> failures() {
    return failures;
  }

  /**
   * Tells which shards did not answer within their timeout or the call's deadline.
   *
   * @return their ids
   */
  public Set<String> timedOut() {
    return timedOut;
  }

  /**
   * Tells whether every shard asked answered.
   *
   * @return whether the result is complete
   */
  public boolean isComplete() {
    return answers.size() == asked.size();
  }

  @Override
  public String toString() {
    return "ScatterResult[answered="
        + answers.keySet()
        + ", failed="
        + failures.keySet()
        + ", timedOut="
        + timedOut
        + "]";
  }
}
