package dev.lintel.core.shard;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lintel.shard.InvalidTopologyException;
import dev.lintel.shard.RangeKeyType;
import dev.lintel.shard.Shard;
import dev.lintel.shard.ShardStrategy;
import dev.lintel.shard.Topology;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes topologies as JSON, the form topology stores keep. The format (version 1):
 *
 * <pre>{@code
 * {"format":1,"version":7,
 *  "shards":[{"id":"eu-1","weight":1.0,"connection":"eu-db-1"}, ...],
 *  "strategy":{"type":"geo",
 *    "locations":{"eu":{"type":"jump","buckets":["eu-1","eu-2"]},
 *                 "us":{"type":"rendezvous","shards":["us-1","us-2"]}},
 *    "fallbacks":{"PT":"eu"},"default":"us"}}
 * }</pre>
 *
 * Strategy types: {@code jump} ({@code buckets}), {@code rendezvous} ({@code shards}), {@code ring}
 * ({@code shards}, {@code virtualNodes}), {@code range} ({@code keyType} {@code "long"} or {@code
 * "string"}, {@code ranges} of {@code {"lower":..,"upper":..,"shard":..}} with boundaries as
 * strings and a missing bound open), {@code geo} ({@code locations}, optional {@code fallbacks} and
 * {@code default}), {@code directory} ({@code name}, optional {@code fallback}), {@code single}
 * ({@code shard}).
 *
 * <p>Reading is strict: unknown or duplicate fields, a missing field, a value of the wrong type, an
 * unknown format or strategy type are refused with an {@link InvalidTopologyException} naming the
 * JSON path, and so is every topology that {@link Topology#of} refuses. Writing then reading gives
 * an equal topology. Thread-safe.
 */
public final class TopologyJson {
  /** The format this version reads and writes. */
  public static final int FORMAT = 1;

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private TopologyJson() {}

  /**
   * Writes a topology.
   *
   * @param topology the topology
   * @return its JSON, compact, fields in a fixed order
   */
  public static String write(Topology topology) {
    ObjectNode root = NODES.objectNode();
    root.put("format", FORMAT);
    root.put("version", topology.version());
    ArrayNode shards = root.putArray("shards");
    for (Shard shard : topology.shards()) {
      shards
          .addObject()
          .put("id", shard.id())
          .put("weight", shard.weight())
          .put("connection", shard.connection());
    }
    root.set("strategy", strategy(topology.strategy()));
    return root.toString();
  }

  /**
   * Reads a topology.
   *
   * @param json the JSON text
   * @return the topology
   * @throws InvalidTopologyException if the text is not JSON, not a topology of format {@value
   *     #FORMAT}, or an invalid topology; the message names the JSON path and the problem
   */
  public static Topology read(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidTopologyException(
          "topology JSON cannot be parsed: " + e.getOriginalMessage(), e);
    }
    if (root == null || root.isMissingNode()) {
      throw new InvalidTopologyException("topology JSON is empty");
    }
    Fields fields = new Fields(root, "$");
    fields.only("format", "version", "shards", "strategy");
    long format = fields.integer("format");
    if (format != FORMAT) {
      throw new InvalidTopologyException(
          "$.format: unsupported topology format " + format + "; this version reads " + FORMAT);
    }
    long version = fields.integer("version");
    List<Shard> shards = new ArrayList<>();
    JsonNode shardArray = fields.array("shards");
    for (int i = 0; i < shardArray.size(); i++) {
      Fields shard = new Fields(shardArray.get(i), "$.shards[" + i + "]");
      shard.only("id", "weight", "connection");
      String id = shard.text("id");
      JsonNode weight = shard.optional("weight");
      if (weight != null && !weight.isNumber()) {
        throw shard.wrongType("weight", "a number");
      }
      String connection = shard.optionalText("connection");
      shards.add(
          shard.valid(
              () ->
                  new Shard(
                      id,
                      weight == null ? 1 : weight.doubleValue(),
                      connection == null ? id : connection)));
    }
    ShardStrategy strategy = strategy(fields.object("strategy"), "$.strategy");
    return fields.valid(() -> Topology.of(version, shards, strategy));
  }

  private static ObjectNode strategy(ShardStrategy strategy) {
    ObjectNode node = NODES.objectNode();
    if (strategy instanceof ShardStrategy.Jump jump) {
      node.put("type", "jump");
      jump.buckets().forEach(node.putArray("buckets")::add);
    } else if (strategy instanceof ShardStrategy.Rendezvous rendezvous) {
      node.put("type", "rendezvous");
      rendezvous.shards().forEach(node.putArray("shards")::add);
    } else if (strategy instanceof ShardStrategy.Ring ring) {
      node.put("type", "ring");
      ring.shards().forEach(node.putArray("shards")::add);
      node.put("virtualNodes", ring.virtualNodes());
    } else if (strategy instanceof ShardStrategy.Range range) {
      node.put("type", "range");
      node.put("keyType", range.keyType().name().toLowerCase(Locale.ROOT));
      ArrayNode ranges = node.putArray("ranges");
      for (ShardStrategy.KeyRange keyRange : range.ranges()) {
        ObjectNode entry = ranges.addObject();
        if (keyRange.lower() != null) {
          entry.put("lower", keyRange.lower());
        }
        if (keyRange.upper() != null) {
          entry.put("upper", keyRange.upper());
        }
        entry.put("shard", keyRange.shard());
      }
    } else if (strategy instanceof ShardStrategy.Geo geo) {
      node.put("type", "geo");
      ObjectNode locations = node.putObject("locations");
      geo.locations().forEach((location, nested) -> locations.set(location, strategy(nested)));
      if (!geo.fallbacks().isEmpty()) {
        ObjectNode fallbacks = node.putObject("fallbacks");
        geo.fallbacks().forEach(fallbacks::put);
      }
      if (geo.defaultLocation() != null) {
        node.put("default", geo.defaultLocation());
      }
    } else if (strategy instanceof ShardStrategy.Directory directory) {
      node.put("type", "directory");
      node.put("name", directory.name());
      ShardStrategy fallback = directory.fallback();
      if (fallback != null) {
        node.set("fallback", strategy(fallback));
      }
    } else {
      node.put("type", "single");
      node.put("shard", ((ShardStrategy.Single) strategy).shard());
    }
    return node;
  }

  private static ShardStrategy strategy(JsonNode node, String path) {
    Fields fields = new Fields(node, path);
    String type = fields.text("type");
    switch (type) {
      case "jump" -> {
        fields.only("type", "buckets");
        List<String> buckets = fields.texts("buckets");
        return fields.valid(() -> new ShardStrategy.Jump(buckets));
      }
      case "rendezvous" -> {
        fields.only("type", "shards");
        List<String> shards = fields.texts("shards");
        return fields.valid(() -> new ShardStrategy.Rendezvous(shards));
      }
      case "ring" -> {
        fields.only("type", "shards", "virtualNodes");
        List<String> shards = fields.texts("shards");
        long virtualNodes = fields.integer("virtualNodes");
        int clamped = (int) Math.max(Integer.MIN_VALUE, Math.min(virtualNodes, Integer.MAX_VALUE));
        return fields.valid(() -> new ShardStrategy.Ring(shards, clamped));
      }
      case "range" -> {
        fields.only("type", "keyType", "ranges");
        String keyType = fields.text("keyType");
        RangeKeyType rangeKeyType =
            switch (keyType) {
              case "long" -> RangeKeyType.LONG;
              case "string" -> RangeKeyType.STRING;
              default ->
                  throw new InvalidTopologyException(
                      path
                          + ".keyType: unknown key type '"
                          + keyType
                          + "'; use \"long\" or \"string\"");
            };
        JsonNode array = fields.array("ranges");
        List<ShardStrategy.KeyRange> ranges = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
          Fields range = new Fields(array.get(i), path + ".ranges[" + i + "]");
          range.only("lower", "upper", "shard");
          String lower = range.optionalText("lower");
          String upper = range.optionalText("upper");
          String shard = range.text("shard");
          ranges.add(range.valid(() -> new ShardStrategy.KeyRange(lower, upper, shard)));
        }
        return fields.valid(() -> new ShardStrategy.Range(rangeKeyType, ranges));
      }
      case "geo" -> {
        fields.only("type", "locations", "fallbacks", "default");
        Map<String, ShardStrategy> locations = new LinkedHashMap<>();
        Fields declared = new Fields(fields.object("locations"), path + ".locations");
        for (String location : declared.names()) {
          locations.put(
              location, strategy(declared.object(location), path + ".locations." + location));
        }
        Map<String, String> fallbacks = new LinkedHashMap<>();
        JsonNode fallbackNode = fields.optional("fallbacks");
        if (fallbackNode != null) {
          Fields fallbackFields = new Fields(fallbackNode, path + ".fallbacks");
          for (String location : fallbackFields.names()) {
            fallbacks.put(location, fallbackFields.text(location));
          }
        }
        String defaultLocation = fields.optionalText("default");
        return fields.valid(() -> new ShardStrategy.Geo(locations, fallbacks, defaultLocation));
      }
      case "directory" -> {
        fields.only("type", "name", "fallback");
        String name = fields.text("name");
        JsonNode fallbackNode = fields.optional("fallback");
        ShardStrategy fallback =
            fallbackNode == null ? null : strategy(fallbackNode, path + ".fallback");
        return fields.valid(() -> new ShardStrategy.Directory(name, fallback));
      }
      case "single" -> {
        fields.only("type", "shard");
        String shard = fields.text("shard");
        return fields.valid(() -> new ShardStrategy.Single(shard));
      }
      default ->
          throw new InvalidTopologyException(
              path
                  + ".type: unknown strategy type '"
                  + type
                  + "'; use jump, rendezvous, ring, range, geo, directory or single");
    }
  }

  /** Strict access to the fields of one JSON object, with its path for messages. */
  private static final class Fields {
    private final JsonNode node;
    private final String path;

    Fields(@Nullable JsonNode node, String path) {
      if (node == null || !node.isObject()) {
        throw new InvalidTopologyException(
            path + ": expected an object, got " + (node == null ? "nothing" : node.getNodeType()));
      }
      this.node = node;
      this.path = path;
    }

    void only(String... allowed) {
      Set<String> names = Set.of(allowed);
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!names.contains(name)) {
          throw new InvalidTopologyException(
              path + ": unknown field '" + name + "'; expected " + List.of(allowed));
        }
      }
    }

    List<String> names() {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      return names;
    }

    @Nullable JsonNode optional(String name) {
      JsonNode value = node.get(name);
      return value == null || value.isNull() ? null : value;
    }

    JsonNode required(String name) {
      JsonNode value = optional(name);
      if (value == null) {
        throw new InvalidTopologyException(path + ": missing field '" + name + "'");
      }
      return value;
    }

    String text(String name) {
      JsonNode value = required(name);
      if (!value.isTextual()) {
        throw wrongType(name, "a string");
      }
      return value.textValue();
    }

    @Nullable String optionalText(String name) {
      return optional(name) == null ? null : text(name);
    }

    long integer(String name) {
      JsonNode value = required(name);
      if (!value.isIntegralNumber() || !value.canConvertToLong()) {
        throw wrongType(name, "an integer");
      }
      return value.longValue();
    }

    JsonNode array(String name) {
      JsonNode value = required(name);
      if (!value.isArray()) {
        throw wrongType(name, "an array");
      }
      return value;
    }

    JsonNode object(String name) {
      JsonNode value = required(name);
      if (!value.isObject()) {
        throw wrongType(name, "an object");
      }
      return value;
    }

    List<String> texts(String name) {
      JsonNode array = array(name);
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        if (!array.get(i).isTextual()) {
          throw new InvalidTopologyException(
              path + "." + name + "[" + i + "]: expected a string, got " + array.get(i));
        }
        texts.add(array.get(i).textValue());
      }
      return texts;
    }

    InvalidTopologyException wrongType(String name, String expected) {
      return new InvalidTopologyException(
          path + "." + name + ": expected " + expected + ", got " + node.get(name));
    }

    /** Builds a value, prefixing a validation failure with this object's path. */
    <T> T valid(Supplier<T> build) {
      try {
        return build.get();
      } catch (InvalidTopologyException e) {
        throw new InvalidTopologyException(path + ": " + e.getMessage(), e);
      }
    }
  }
}
