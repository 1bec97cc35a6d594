package dev.lintel.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys from PEM and JWK Sets, and bad key input refused with a message naming the problem. */
class JwtKeysTest {
  @TempDir Path dir;

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  static KeyPair ec(String curve) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec(curve));
    return generator.generateKeyPair();
  }

  @Test
  void pemPublicKeysBecomeRs256AndEs256Keys() throws Exception {
    JwtKey rsa = JwtKey.ofPem(pem("PUBLIC KEY", Tokens.RSA.getPublic().getEncoded()));
    JwtKey es =
        JwtKey.ofPem(
            "some text before\n" + pem("PUBLIC KEY", ec("secp256r1").getPublic().getEncoded()));

    assertThat(rsa.algorithm()).isEqualTo("RS256");
    assertThat(rsa.keyId()).isNull();
    assertThat(es.algorithm()).isEqualTo("ES256");
    assertThat(rsa.withKeyId("k1").keyId()).isEqualTo("k1");
    assertThat(rsa.withKeyId("k1").toString()).isEqualTo("JwtKey[RS256, kid=k1]");
  }

  @Test
  void aPemCertificateGivesItsPublicKey() throws Exception {
    Path store = dir.resolve("store.p12");
    Path cert = dir.resolve("cert.pem");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(
        keytool,
        "-genkeypair",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-alias",
        "idp",
        "-dname",
        "CN=idp.example",
        "-validity",
        "2",
        "-keystore",
        store.toString(),
        "-storepass",
        "changeit",
        "-storetype",
        "PKCS12");
    run(
        keytool,
        "-exportcert",
        "-rfc",
        "-alias",
        "idp",
        "-keystore",
        store.toString(),
        "-storepass",
        "changeit",
        "-file",
        cert.toString());

    JwtKey key = JwtKey.ofPem(Files.readString(cert));

    assertThat(key.algorithm()).isEqualTo("RS256");
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  @Test
  void badPemIsRefusedWithTheProblemNamed() throws Exception {
    KeyPair small = smallRsa();
    assertThatThrownBy(() -> JwtKey.ofPem("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not PEM");
    assertThatThrownBy(() -> JwtKey.ofPem(pem("PRIVATE KEY", Tokens.RSA.getPrivate().getEncoded())))
        .hasMessageContaining("PRIVATE KEY")
        .hasMessageContaining("give the public key");
    assertThatThrownBy(() -> JwtKey.ofPem(pem("RSA PUBLIC KEY", new byte[] {1, 2, 3})))
        .hasMessageContaining("PKCS#1");
    assertThatThrownBy(() -> JwtKey.ofPem(pem("PUBLIC KEY", new byte[] {1, 2, 3})))
        .hasMessageContaining("neither an RSA nor an EC");
    assertThatThrownBy(
            () -> JwtKey.ofPem("-----BEGIN PUBLIC KEY-----\n@@@\n-----END PUBLIC KEY-----"))
        .hasMessageContaining("malformed PEM");
    assertThatThrownBy(
            () -> JwtKey.ofPem(pem("PUBLIC KEY", ec("secp384r1").getPublic().getEncoded())))
        .hasMessageContaining("P-256");
    assertThatThrownBy(() -> JwtKey.ofPem(pem("PUBLIC KEY", small.getPublic().getEncoded())))
        .hasMessageContaining("at least 2048 bits but was 1024");
    assertThatThrownBy(() -> JwtKey.ofPem(pem("CERTIFICATE", new byte[] {1, 2, 3})))
        .hasMessageContaining("not an X.509 certificate");
  }

  private static KeyPair smallRsa() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    return generator.generateKeyPair();
  }

  @Test
  void keysRefuseWeakOrWrongMaterial() throws Exception {
    assertThatThrownBy(() -> JwtKey.hs256(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 32 bytes (256 bits) but was 31");
    assertThatThrownBy(() -> JwtKey.rs256((RSAPublicKey) smallRsa().getPublic()))
        .hasMessageContaining("2048");
    assertThatThrownBy(() -> JwtKey.es256((ECPublicKey) ec("secp384r1").getPublic()))
        .hasMessageContaining("P-256");
    assertThatThrownBy(() -> JwtKey.hs256(new byte[32]).withKeyId(""))
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> JwtKeySet.of()).hasMessageContaining("at least one key");
    JwtKey rsa = JwtKey.rs256((RSAPublicKey) Tokens.RSA.getPublic());
    assertThatThrownBy(() -> JwtKeySet.of(rsa.withKeyId("a"), rsa.withKeyId("a")))
        .hasMessageContaining("two RS256 keys have the key id a");
  }

  @Test
  void aJwkSetGivesItsSigningKeysByKeyIdAndSkipsTheRest() throws Exception {
    JWK rsa = new RSAKeyGenerator(2048).keyID("r1").keyUse(KeyUse.SIGNATURE).generate();
    JWK ec = new ECKeyGenerator(Curve.P_256).keyID("e1").generate();
    JWK p384 = new ECKeyGenerator(Curve.P_384).keyID("e384").generate();
    JWK encryption = new RSAKeyGenerator(2048).keyID("enc").keyUse(KeyUse.ENCRYPTION).generate();
    JWK oct = new OctetSequenceKeyGenerator(256).keyID("oct").generate();
    String json =
        new JWKSet(List.of(rsa, ec, p384, encryption, oct)).toString(false); // with oct's k

    JwtKeySet set = JwtKeySet.parse(json);

    assertThat(set.keys()).extracting(JwtKey::keyId).containsExactly("r1", "e1");
    assertThat(set.keys()).extracting(JwtKey::algorithm).containsExactly("RS256", "ES256");
    assertThat(set.keys("e1")).extracting(JwtKey::keyId).containsExactly("e1");
    assertThat(set.keys("nope")).isEmpty();
    assertThat(set.keys(null)).hasSize(2);
  }

  @Test
  void keysWithoutAKeyIdAreCandidatesForEveryKeyId() {
    JwtKey plain = JwtKey.hs256(Tokens.SECRET);
    JwtKey named = JwtKey.rs256((RSAPublicKey) Tokens.RSA.getPublic()).withKeyId("r1");
    JwtKeySet set = JwtKeySet.of(plain, named);

    assertThat(set.keys("r1")).containsExactly(plain, named);
    assertThat(set.keys("other")).containsExactly(plain);
  }

  @Test
  void aJwkSetWithoutUsableKeysIsRefusedSayingWhy() throws Exception {
    String onlyEncryption =
        new JWKSet(new RSAKeyGenerator(2048).keyID("enc").keyUse(KeyUse.ENCRYPTION).generate())
            .toString();

    assertThatThrownBy(() -> JwtKeySet.parse(onlyEncryption))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no usable signing key")
        .hasMessageContaining("kid \"enc\"")
        .hasMessageContaining("use is enc");
    assertThatThrownBy(() -> JwtKeySet.parse("{\"keys\":[]}")).hasMessageContaining("empty");
    assertThatThrownBy(() -> JwtKeySet.parse("{\"kty\":\"RSA\"}"))
        .hasMessageContaining("no \"keys\" array");
    assertThatThrownBy(() -> JwtKeySet.parse("not json")).hasMessageContaining("not JSON");
    assertThatThrownBy(
            () ->
                JwtKeySet.parse(
                    "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\""
                        + Tokens.b64(new byte[32])
                        + "\",\"y\":\""
                        + Tokens.b64(new byte[32])
                        + "\"}]}"))
        .hasMessageContaining("not on P-256");
    assertThatThrownBy(
            () ->
                JwtKeySet.parse(
                    "{\"keys\":[{\"kty\":\"RSA\",\"alg\":\"RS512\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}"))
        .hasMessageContaining("alg RS512 is not supported");
  }

  @Test
  void aJwkSetFileIsReadAndAMissingOrBadFileIsNamed() throws Exception {
    Path file = dir.resolve("jwks.json");
    Files.writeString(
        file, new JWKSet(new ECKeyGenerator(Curve.P_256).keyID("e1").generate()).toString());

    assertThat(JwtKeySet.read(file).keys()).extracting(JwtKey::keyId).containsExactly("e1");
    Path missing = dir.resolve("missing.json");
    assertThatThrownBy(() -> JwtKeySet.read(missing))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(missing.toString());
    Files.writeString(file, "{\"keys\": 1}");
    assertThatThrownBy(() -> JwtKeySet.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString());
  }
}
