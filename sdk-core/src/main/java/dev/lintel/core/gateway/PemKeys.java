package dev.lintel.core.gateway;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a public key from the first PEM block of a text, with the JDK's key factories. */
final class PemKeys {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");

  private PemKeys() {}

  static PublicKey publicKey(String pem) {
    if (!pem.contains("-----BEGIN ")) {
      throw new IllegalArgumentException("not PEM: no -----BEGIN line");
    }
    Matcher block = BLOCK.matcher(pem);
    if (!block.find()) {
      throw new IllegalArgumentException(
          "malformed PEM: no complete -----BEGIN ...----- / -----END ...----- block with a"
              + " base64 body");
    }
    String type = block.group(1);
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(block.group(2));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed PEM: the " + type + " body is not base64", e);
    }
    if (der.length == 0) {
      throw new IllegalArgumentException("malformed PEM: the " + type + " block is empty");
    }
    switch (type) {
      case "PUBLIC KEY":
        return subjectPublicKeyInfo(der);
      case "CERTIFICATE":
        try {
          return CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der))
              .getPublicKey();
        } catch (GeneralSecurityException e) {
          throw new IllegalArgumentException("PEM CERTIFICATE is not an X.509 certificate", e);
        }
      case "RSA PUBLIC KEY":
        throw new IllegalArgumentException(
            "PEM RSA PUBLIC KEY (PKCS#1) is not supported: convert it to a PUBLIC KEY with"
                + " 'openssl rsa -RSAPublicKey_in -pubout'");
      default:
        if (type.contains("PRIVATE KEY")) {
          throw new IllegalArgumentException(
              "PEM holds a "
                  + type
                  + ": give the public key, as only it is needed to verify tokens");
        }
        throw new IllegalArgumentException(
            "PEM block is a " + type + ", not a PUBLIC KEY or CERTIFICATE");
    }
  }

  private static PublicKey subjectPublicKeyInfo(byte[] der) {
    X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
    for (String algorithm : new String[] {"RSA", "EC"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(spec);
      } catch (GeneralSecurityException e) {
        // not this kind of key: try the next
      }
    }
    throw new IllegalArgumentException(
        "PEM PUBLIC KEY is neither an RSA nor an EC SubjectPublicKeyInfo");
  }
}
