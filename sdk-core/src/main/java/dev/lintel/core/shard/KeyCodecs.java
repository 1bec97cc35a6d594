package dev.lintel.core.shard;

import dev.lintel.shard.RangeKeyType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** The built-in codecs. */
final class KeyCodecs {
  static final ShardKeyCodec<String> STRINGS =
      new ShardKeyCodec<>() {
        @Override
        public byte[] encode(String key) {
          return key.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public long hash(String key) {
          return Xxh64.hashUtf8(key);
        }

        @Override
        public boolean supports(RangeKeyType type) {
          return type == RangeKeyType.STRING;
        }

        @Override
        public String rangeString(String key) {
          return key;
        }

        @Override
        public String toString() {
          return "ShardKeyCodec.strings()";
        }
      };

  static final ShardKeyCodec<Long> LONGS =
      new ShardKeyCodec<>() {
        @Override
        public byte[] encode(Long key) {
          return ByteBuffer.allocate(Long.BYTES).putLong(key).array();
        }

        @Override
        public long hash(Long key) {
          return Xxh64.hashLong(key);
        }

        @Override
        public boolean supports(RangeKeyType type) {
          return type == RangeKeyType.LONG;
        }

        @Override
        public long rangeLong(Long key) {
          return key;
        }

        @Override
        public String toString() {
          return "ShardKeyCodec.longs()";
        }
      };

  static final ShardKeyCodec<UUID> UUIDS =
      new ShardKeyCodec<>() {
        @Override
        public byte[] encode(UUID key) {
          return ByteBuffer.allocate(16)
              .putLong(key.getMostSignificantBits())
              .putLong(key.getLeastSignificantBits())
              .array();
        }

        @Override
        public long hash(UUID key) {
          return Xxh64.hashLongs(key.getMostSignificantBits(), key.getLeastSignificantBits());
        }

        @Override
        public String toString() {
          return "ShardKeyCodec.uuids()";
        }
      };

  static final ShardKeyCodec<byte[]> BYTES =
      new ShardKeyCodec<>() {
        @Override
        public byte[] encode(byte[] key) {
          return key;
        }

        @Override
        public long hash(byte[] key) {
          return Xxh64.hash(key);
        }

        @Override
        public String toString() {
          return "ShardKeyCodec.bytes()";
        }
      };

  private KeyCodecs() {}
}
