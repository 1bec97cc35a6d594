package dev.lintel.redis.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.cache.KeyCodec;
import dev.lintel.core.cache.TieredCache;
import dev.lintel.core.cache.TieredCacheConfig;
import dev.lintel.core.gateway.Pipeline;
import dev.lintel.core.gateway.ResponseCachingFilter;
import dev.lintel.gateway.Headers;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import dev.lintel.redis.cache.RedisCacheStore;
import dev.lintel.testing.Eventually;
import dev.lintel.testing.TestServers;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes, each with its own pipeline, response cache (own L1) and Redis connections, sharing one
 * Redis: an answer cached on one node is served by the other from L2, and invalidating a path on
 * one node drops it from both.
 */
class ResponseCachingIT {
  private final String namespace = "responses-" + UUID.randomUUID();
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();

  @AfterEach
  void close() throws Exception {
    Collections.reverse(opened);
    for (AutoCloseable closeable : opened) {
      closeable.close();
    }
  }

  private record Node(Pipeline pipeline, ResponseCachingFilter caching) {}

  private Node node() {
    RedisCacheStore store =
        RedisCacheStore.connect(RedisURI.create(TestServers.redis().toString()));
    opened.add(store);
    TieredCache<String, Response> responses =
        TieredCache.builder(namespace, KeyCodec.strings(), Response.class)
            .config(
                TieredCacheConfig.custom()
                    .l1(1_000, Duration.ofMinutes(5))
                    .l2Ttl(Duration.ofMinutes(5))
                    .l2Timeout(Duration.ofSeconds(2))
                    .build())
            .l2(store)
            .build();
    opened.add(responses);
    ResponseCachingFilter caching = ResponseCachingFilter.builder(responses).build();
    Pipeline pipeline =
        Pipeline.builder()
            .route(
                "GET",
                "/products/{id}",
                caching.around(
                    request ->
                        Response.of(
                            200,
                            Headers.of(
                                "Content-Type",
                                "application/json",
                                "ETag",
                                "\"v" + calls.incrementAndGet() + "\"",
                                "Link",
                                "</a>; rel=a",
                                "link",
                                "</b>; rel=b"),
                            ("{\"id\":\""
                                    + request.attribute(Pipeline.pathParameter("id"))
                                    + "\",\"bytes\":\"\u00e9\u0000\"}")
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8))))
            .build();
    return new Node(pipeline, caching);
  }

  @Test
  void anAnswerCachedOnOneNodeIsServedByAnotherFromRedisIntact() {
    Node a = node();
    Node b = node();

    Response original = a.pipeline().handle(Request.of("GET", "/products/7"));
    Response fromRedis = b.pipeline().handle(Request.of("GET", "/products/7"));

    assertThat(original.header("X-Cache")).isEqualTo("MISS");
    assertThat(fromRedis.header("X-Cache")).isEqualTo("HIT");
    assertThat(fromRedis.status()).isEqualTo(200);
    assertThat(fromRedis.body()).isEqualTo(original.body());
    assertThat(fromRedis.headers().without("X-Cache"))
        .isEqualTo(original.headers().without("X-Cache"));
    assertThat(fromRedis.header("Content-Type")).isEqualTo("application/json");
    assertThat(fromRedis.header("ETag")).isEqualTo("\"v1\"");
    assertThat(fromRedis.headers().values("LINK")).containsExactly("</a>; rel=a", "</b>; rel=b");
    assertThat(calls).hasValue(1);
  }

  @Test
  void invalidatingAPathOnOneNodeDropsItOnEveryNode() {
    Node a = node();
    Node b = node();
    a.pipeline().handle(Request.of("GET", "/products/8?x=1"));
    assertThat(b.pipeline().handle(Request.of("GET", "/products/8?x=1")).header("X-Cache"))
        .isEqualTo("HIT"); // now in b's L1 too

    assertThat(a.caching().invalidatePath("/products/8")).isEqualTo(1);

    Eventually.awaitTrue(
        () ->
            "MISS"
                .equals(
                    b.pipeline().handle(Request.of("GET", "/products/8?x=1")).header("X-Cache")),
        "node b drops the invalidated answer from its L1");
    assertThat(calls).hasValue(2);
  }
}
