package dev.lintel.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.impl.ECDSA;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The JWS (R || S) and JDK (DER) forms of ES256 signatures convert both ways, checked against the
 * JDK's own P1363 signature format and nimbus-jose-jwt's transcoder.
 */
class Es256Test {
  private static final KeyPair KEYS = p256();
  private static final byte[] MESSAGE = "header.payload".getBytes(StandardCharsets.US_ASCII);

  private static KeyPair p256() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] sign(String algorithm) throws Exception {
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(KEYS.getPrivate());
    signer.update(MESSAGE);
    return signer.sign();
  }

  private static boolean verify(String algorithm, byte[] signature) throws Exception {
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(KEYS.getPublic());
    verifier.update(MESSAGE);
    return verifier.verify(signature);
  }

  @Test
  void derSignaturesOfTheJdkBecomeJwsSignaturesThatOthersVerify() throws Exception {
    // Many signatures, so that R and S with leading zero bytes (shorter DER integers) occur.
    for (int i = 0; i < 200; i++) {
      byte[] der = sign("SHA256withECDSA");

      byte[] raw = Es256.toRaw(der);

      assertThat(raw).hasSize(64);
      assertThat(verify("SHA256withECDSAinP1363Format", raw)).isTrue();
      assertThat(raw).isEqualTo(ECDSA.transcodeSignatureToConcat(der, 64));
    }
  }

  @Test
  void jwsSignaturesBecomeDerSignaturesTheJdkVerifies() throws Exception {
    for (int i = 0; i < 200; i++) {
      byte[] raw = sign("SHA256withECDSAinP1363Format");

      byte[] der = Es256.toDer(raw);

      assertThat(der).isNotNull();
      assertThat(verify("SHA256withECDSA", der)).isTrue();
      assertThat(der).isEqualTo(ECDSA.transcodeSignatureToDER(raw));
      assertThat(Es256.toRaw(der)).isEqualTo(raw);
    }
  }

  @Test
  void signaturesOfTheWrongLengthOrWithRAndSOutOfRangeAreRefusedBeforeTheJdkSeesThem() {
    byte[] order = unsigned32(Es256.P256.getOrder());
    byte[] one = unsigned32(BigInteger.ONE);

    assertThat(Es256.toDer(new byte[64])).as("r = s = 0 (CVE-2022-21449)").isNull();
    assertThat(Es256.toDer(concat(one, new byte[32]))).as("s = 0").isNull();
    assertThat(Es256.toDer(concat(order, one))).as("r = n").isNull();
    assertThat(Es256.toDer(concat(one, order))).as("s = n").isNull();
    assertThat(Es256.toDer(new byte[63])).isNull();
    assertThat(Es256.toDer(new byte[72])).isNull();
    assertThat(Es256.toDer(concat(one, one))).isNotNull();
  }

  @Test
  void malformedDerIsRefusedWithAMessage() {
    assertThatThrownBy(() -> Es256.toRaw(new byte[] {0x31, 6, 2, 1, 1, 2, 1, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DER");
    assertThatThrownBy(() -> Es256.toRaw(new byte[] {0x30, 6, 2, 1, 1, 2, 2, 1}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Es256.toRaw(new byte[] {0x30, 6, 2, 1, 1, 2, 1, 0}))
        .hasMessageContaining("out of range");
  }

  private static byte[] unsigned32(BigInteger value) {
    byte[] bytes = value.toByteArray();
    byte[] out = new byte[32];
    int length = Math.min(bytes.length, 32);
    System.arraycopy(bytes, bytes.length - length, out, 32 - length, length);
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
