package dev.lintel.core.gateway;

import dev.lintel.LintelException;
import dev.lintel.TimeSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of a JWK Set published at a URL (an identity provider's {@code jwks_uri}), fetched with
 * the JDK's {@link HttpClient} and cached.
 *
 * <ul>
 *   <li>The set is fetched on first use (blocking that caller for at most the {@linkplain
 *       Builder#timeout timeout}) and again once it is older than {@linkplain Builder#maxAge the
 *       maximum age} (5 minutes by default).
 *   <li>A token naming a key id the cached set does not hold makes it fetch the set again, so a
 *       newly published key is found at once.
 *   <li>Whatever the cause, the set is fetched at most once per {@linkplain
 *       Builder#minRefreshInterval minimum refresh interval} (30 s by default): a flood of tokens
 *       with made-up key ids costs the identity provider one request per interval. Concurrent
 *       callers share one fetch.
 *   <li>A failed fetch (network, status other than 200, not a JWK Set, no usable key, over {@link
 *       Builder#maxBytes}) keeps the keys fetched before, logged at WARN; with none fetched yet,
 *       {@link #keys(String)} throws a {@link LintelException} naming the URL and the failure.
 * </ul>
 *
 * Only {@code https} URLs are accepted, and {@code http} on a loopback host. Thread-safe.
 */
public final class RemoteJwkSet implements JwtKeySource {
  private static final Logger log = LoggerFactory.getLogger(RemoteJwkSet.class);

  private final URI uri;
  private final HttpClient client;
  private final Duration timeout;
  private final long maxAgeNanos;
  private final long minRefreshNanos;
  private final int maxBytes;
  private final TimeSource time;
  private final ReentrantLock fetching = new ReentrantLock();
  private final LongAdder fetches = new LongAdder();
  private final LongAdder failures = new LongAdder();

  private volatile @Nullable Snapshot current;
  // Guarded by fetching.
  private long lastAttemptNanos;
  private boolean attempted;
  private @Nullable String lastFailure;

  /** The keys of one successful fetch and when it was made. */
  private record Snapshot(JwtKeySet keys, long fetchedAtNanos) {}

  private RemoteJwkSet(Builder builder) {
    this.uri = builder.uri;
    this.client =
        builder.client != null
            ? builder.client
            : HttpClient.newBuilder()
                .connectTimeout(builder.timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    this.timeout = builder.timeout;
    this.maxAgeNanos = builder.maxAge.toNanos();
    this.minRefreshNanos = builder.minRefreshInterval.toNanos();
    this.maxBytes = builder.maxBytes;
    this.time = builder.timeSource;
  }

  /**
   * Starts a key source for the JWK Set at this URL.
   *
   * @param uri the set's URL: {@code https}, or {@code http} on a loopback host
   * @return a builder
   * @throws IllegalArgumentException if the URL is not absolute https (or loopback http)
   */
  public static Builder builder(URI uri) {
    Objects.requireNonNull(uri, "uri");
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost() == null ? "" : uri.getHost();
    boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    if (!(scheme.equals("https") || (scheme.equals("http") && loopback)) || host.isEmpty()) {
      throw new IllegalArgumentException(
          "JWK Set URL must be https (http only on a loopback host) but was " + uri);
    }
    return new Builder(uri);
  }

  @Override
  public List<JwtKey> keys(@Nullable String keyId) {
    Snapshot snapshot = current;
    long now = time.nanoTime();
    if (snapshot == null || now - snapshot.fetchedAtNanos() >= maxAgeNanos) {
      snapshot = refresh(snapshot);
    } else if (keyId != null && !snapshot.keys().hasKeyId(keyId)) {
      snapshot = refresh(snapshot); // a key published since: fetch again, if the rate allows
    }
    if (snapshot == null) {
      String failure;
      fetching.lock();
      try {
        failure = lastFailure;
      } finally {
        fetching.unlock();
      }
      throw new LintelException("no keys from the JWK Set at " + uri + ": " + failure);
    }
    return snapshot.keys().keys(keyId);
  }

  /**
   * Returns the counts of fetches so far.
   *
   * @return the fetches tried, those that failed, and the keys held now
   */
  public Stats stats() {
    Snapshot snapshot = current;
    return new Stats(
        fetches.sum(), failures.sum(), snapshot == null ? 0 : snapshot.keys().keys().size());
  }

  /**
   * Fetch counts.
   *
   * @param fetches fetches tried
   * @param failures fetches that failed (their keys were not taken)
   * @param keys keys held now
   */
  public record Stats(long fetches, long failures, int keys) {}

  /** Fetches unless another caller just did or the rate limit says not yet; returns the newest. */
  private @Nullable Snapshot refresh(@Nullable Snapshot seen) {
    fetching.lock();
    try {
      Snapshot latest = current;
      if (latest != seen) {
        return latest; // another caller fetched while this one waited
      }
      long now = time.nanoTime();
      if (attempted && now - lastAttemptNanos < minRefreshNanos) {
        return latest;
      }
      attempted = true;
      lastAttemptNanos = now;
      fetches.increment();
      try {
        Snapshot fetched = new Snapshot(fetch(), now);
        current = fetched;
        lastFailure = null;
        log.debug("fetched {} keys from {}", fetched.keys().keys().size(), uri);
        return fetched;
      } catch (IOException | RuntimeException e) {
        failures.increment();
        lastFailure = e.getMessage();
        log.warn(
            "cannot fetch the JWK Set at {}; keeping {}: {}",
            uri,
            latest == null ? "none" : "the keys fetched before",
            e.toString());
        return latest;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failures.increment();
        lastFailure = "interrupted";
        return latest;
      }
    } finally {
      fetching.unlock();
    }
  }

  private JwtKeySet fetch() throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Accept", "application/jwk-set+json, application/json")
            .GET()
            .build();
    HttpResponse<InputStream> response =
        client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("HTTP status " + response.statusCode());
      }
      byte[] bytes = body.readNBytes(maxBytes + 1);
      if (bytes.length > maxBytes) {
        throw new IOException("the JWK Set is larger than " + maxBytes + " bytes");
      }
      return JwtKeySet.of(JwkParser.parse(bytes, "the JWK Set at " + uri));
    }
  }

  @Override
  public String toString() {
    return "RemoteJwkSet[" + uri + "]";
  }

  /** Builds a {@link RemoteJwkSet}. Not thread-safe; build once. */
  public static final class Builder {
    private final URI uri;
    private @Nullable HttpClient client;
    private Duration timeout = Duration.ofSeconds(5);
    private Duration maxAge = Duration.ofMinutes(5);
    private Duration minRefreshInterval = Duration.ofSeconds(30);
    private int maxBytes = 256 * 1024;
    private TimeSource timeSource = TimeSource.system();

    private Builder(URI uri) {
      this.uri = uri;
    }

    /**
     * Uses this client (its proxy, TLS and executor settings) instead of one of its own, which
     * follows no redirects and connects within the {@link #timeout}.
     *
     * @param client the client; the host owns it
     * @return this builder
     */
    public Builder httpClient(HttpClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Gives up a fetch after this long; 5 s by default.
     *
     * @param timeout positive, at most a minute
     * @return this builder
     * @throws IllegalArgumentException if not positive or over a minute
     */
    public Builder timeout(Duration timeout) {
      this.timeout = within("timeout", timeout, Duration.ofNanos(1), Duration.ofMinutes(1));
      return this;
    }

    /**
     * Fetches the set again once it is this old; 5 minutes by default.
     *
     * @param maxAge positive, at most a day
     * @return this builder
     * @throws IllegalArgumentException if not positive or over a day
     */
    public Builder maxAge(Duration maxAge) {
      this.maxAge = within("max age", maxAge, Duration.ofNanos(1), Duration.ofDays(1));
      return this;
    }

    /**
     * Fetches the set at most once per this interval, whatever asks for it; 30 s by default.
     *
     * @param interval zero (no limit) to an hour
     * @return this builder
     * @throws IllegalArgumentException if negative or over an hour
     */
    public Builder minRefreshInterval(Duration interval) {
      this.minRefreshInterval =
          within("min refresh interval", interval, Duration.ZERO, Duration.ofHours(1));
      return this;
    }

    /**
     * Refuses a set larger than this; 256 KiB by default.
     *
     * @param bytes positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxBytes(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("max bytes must be positive but was " + bytes);
      }
      this.maxBytes = bytes;
      return this;
    }

    /**
     * Sets the time source whose {@link TimeSource#nanoTime()} ages the set and paces fetches;
     * {@link TimeSource#system()} by default.
     *
     * @param source the time source
     * @return this builder
     */
    public Builder timeSource(TimeSource source) {
      this.timeSource = Objects.requireNonNull(source, "timeSource");
      return this;
    }

    /**
     * Builds the key source; it fetches nothing until first asked for keys.
     *
     * @return the key source
     */
    public RemoteJwkSet build() {
      return new RemoteJwkSet(this);
    }

    private static Duration within(String name, Duration value, Duration min, Duration max) {
      Objects.requireNonNull(value, name);
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            name + " must be within " + min + ".." + max + " but was " + value);
      }
      return value;
    }
  }
}
