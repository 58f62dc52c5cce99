package org.est4j.client;

import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.est4j.client.internal.pkcs11.P11Access;
import org.est4j.client.internal.pkcs11.P11KeyGen;
import org.est4j.client.internal.pkcs11.P11PrivateKey;
import org.est4j.client.internal.pkcs11.P11Provider;
import org.est4j.client.internal.pkcs11.P11Token;

/**
 * A key pair on a PKCS#11 token (an HSM, a smart card, SoftHSM), opened from a {@link
 * Pkcs11KeySpec}. The private key never leaves the token: it signs CSRs ({@link
 * CsrBuilder#sign(java.security.PrivateKey)}) and TLS handshakes ({@link #clientIdentity}), and it
 * can be the CA key of est4j's embedded CA.
 *
 * <pre>{@code
 * try (Pkcs11Key key = Pkcs11Key.open(Pkcs11KeySpec.fromUri(
 *     "pkcs11:token=est;id=%01?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/etc/est/pin"))) {
 *   byte[] csr = CsrBuilder.create().commonName("device-1").sign(key.privateKey());
 *   X509Certificate cert = est.enrollAndWait(csr, Duration.ofMinutes(5));
 *   EstClient renewer = EstClient.builder()...clientIdentity(key.clientIdentity(List.of(cert))).build();
 * }
 * }</pre>
 *
 * <p>It uses the JDK's PKCS#11 binding (module {@code jdk.crypto.cryptoki}, the code under
 * SunPKCS11), whose package is not exported: the JVM needs {@code --add-exports
 * jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED} (est4j's jar sets it from its
 * manifest). SunPKCS11's own KeyStore would need no flag, but it hides a private key until a
 * certificate with the same CKA_ID is on the token, and a first enrollment has none.
 * Signatures go to est4j's provider "Est4jPkcs11", appended to the JVM's provider list on first
 * use; it accepts only these keys.
 *
 * <p>PKCS#11 logins belong to the process, not the session: while a key of a token is open, the
 * token stays logged in and another {@code open} of that token is not checked against its PIN.
 * Close keys when done. Thread-safe: signatures share one session and are serialised.
 */
public final class Pkcs11Key implements AutoCloseable {
  private final P11PrivateKey privateKey;

  private Pkcs11Key(P11PrivateKey privateKey) {
    this.privateKey = privateKey;
  }

  /**
   * Loads the module (once per JVM), finds the token by label, logs in with the PIN (if the spec
   * has one) and finds the key pair.
   *
   * @throws Pkcs11KeyException with a message naming the token and key, never the PIN
   */
  public static Pkcs11Key open(Pkcs11KeySpec spec) throws Pkcs11KeyException {
    Optional<String> problem = P11Access.problem();
    if (problem.isPresent()) {
      throw new Pkcs11KeyException(spec.describe() + ": " + problem.get());
    }
    P11Provider.install();
    char[] pin = spec.pin().orElse(null);
    try {
      return new Pkcs11Key(P11Token.open(spec.module(), spec.tokenLabel().orElse(null),
          spec.keyId().orElse(null), spec.keyLabel().orElse(null), pin, spec.describe()));
    } finally {
      if (pin != null) {
        Arrays.fill(pin, '\0');
      }
    }
  }

  /**
   * Generates a key pair on the token and opens it. The private key is created sensitive and not
   * extractable; both halves carry the spec's label (required here) and id (16 random bytes when
   * the spec has none). Refuses, changing nothing, when the token already has a private key with
   * that label or id.
   *
   * @param keyType {@code ec:P-256}, {@code ec:P-384}, {@code ec:P-521}, {@code rsa:2048}, {@code
   *     rsa:3072} or {@code rsa:4096}
   * @throws Pkcs11KeyException with a message naming the token and key, never the PIN
   */
  public static Pkcs11Key generate(Pkcs11KeySpec spec, String keyType) throws Pkcs11KeyException {
    Optional<String> problem = P11Access.problem();
    if (problem.isPresent()) {
      throw new Pkcs11KeyException(spec.describe() + ": " + problem.get());
    }
    if (spec.keyLabel().isEmpty()) {
      throw new Pkcs11KeyException(spec.describe() + ": a generated key needs a label (object= in the URI)");
    }
    char[] pin = spec.pin().orElse(null);
    try {
      P11KeyGen.generate(spec.module(), spec.tokenLabel().orElse(null), spec.keyId().orElse(null),
          spec.keyLabel().get(), pin, keyType, spec.describe());
    } finally {
      if (pin != null) {
        Arrays.fill(pin, '\0');
      }
    }
    return open(spec);
  }

  /** The private key: a {@link HardwarePrivateKey} ("RSA" or "EC") without an encoding. */
  public HardwarePrivateKey privateKey() {
    return privateKey;
  }

  public PublicKey publicKey() {
    return privateKey.publicKey();
  }

  public KeyPair keyPair() {
    return new KeyPair(publicKey(), privateKey);
  }

  /** This key with its certificate chain (leaf first) as TLS client identity. */
  public ClientIdentity clientIdentity(List<X509Certificate> chain) {
    return ClientIdentity.of(privateKey, chain);
  }

  /** Closes the token session; the key cannot sign afterwards. */
  @Override
  public void close() {
    privateKey.close();
  }

  @Override
  public String toString() {
    return "Pkcs11Key[" + privateKey + "]";
  }
}
