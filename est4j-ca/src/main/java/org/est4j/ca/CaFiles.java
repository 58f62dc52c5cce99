package org.est4j.ca;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.est4j.protocol.pem.PemException;
import org.est4j.protocol.pem.PemReader;

/**
 * An {@link EmbeddedCa} from an existing CA's PEM files, as OpenSSL, step-ca or cfssl write them.
 *
 * <p>The chain file holds the issuing CA certificate and its issuers up to the root. Issuing-first
 * order (as in a TLS chain) is expected; a file in root-first order, where each certificate issues
 * the next, is recognised by its issuer names and reversed. Any other order is kept, and
 * {@link EmbeddedCa.Builder#build()} then says which link is broken. The key file may be in any
 * form {@link PemReader#readPrivateKey} reads, encrypted or not.
 */
public final class CaFiles {

  private CaFiles() {}

  /** The CA with default settings (90-day leaves, system clock). */
  public static EmbeddedCa load(Path chainPem, Path keyPem, Optional<char[]> passphrase)
      throws PemException {
    return load(chainPem, keyPem, passphrase, builder -> {});
  }

  /** The CA with the given leaf certificate validity. */
  public static EmbeddedCa load(Path chainPem, Path keyPem, Optional<char[]> passphrase,
      Duration leafValidity) throws PemException {
    return load(chainPem, keyPem, passphrase, builder -> builder.leafValidity(leafValidity));
  }

  /**
   * The CA, with {@code customizer} applied to the builder after the chain and key are set.
   *
   * @throws PemException if a file cannot be read or holds no usable certificate or key
   * @throws IllegalArgumentException if the chain or key is unfit (see {@link
   *     EmbeddedCa.Builder#build()}), with the file names in the message
   */
  public static EmbeddedCa load(Path chainPem, Path keyPem, Optional<char[]> passphrase,
      Consumer<EmbeddedCa.Builder> customizer) throws PemException {
    List<X509Certificate> chain = issuingFirst(PemReader.readCertificates(chainPem));
    PrivateKey key = PemReader.readPrivateKey(keyPem, passphrase);
    EmbeddedCa.Builder builder = EmbeddedCa.builder().chain(chain).privateKey(key);
    customizer.accept(builder);
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "CA from " + chainPem + " and " + keyPem + ": " + e.getMessage(), e);
    }
  }

  /**
   * The CA with a key that is not in a file, e.g. on a PKCS#11 token ({@code keyDescription} names
   * it in messages). The key is checked against the issuing certificate by a test signature.
   */
  public static EmbeddedCa load(Path chainPem, PrivateKey key, String keyDescription,
      Consumer<EmbeddedCa.Builder> customizer) throws PemException {
    List<X509Certificate> chain = issuingFirst(PemReader.readCertificates(chainPem));
    EmbeddedCa.Builder builder = EmbeddedCa.builder().chain(chain).privateKey(key);
    customizer.accept(builder);
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "CA from " + chainPem + " and " + keyDescription + ": " + e.getMessage(), e);
    }
  }

  /** Reverses a chain whose every certificate issues the next one (root first). */
  static List<X509Certificate> issuingFirst(List<X509Certificate> certificates) {
    if (certificates.size() < 2 || !linked(certificates)) {
      List<X509Certificate> reversed = new ArrayList<>(certificates);
      Collections.reverse(reversed);
      if (certificates.size() >= 2 && linked(reversed)) {
        return List.copyOf(reversed);
      }
    }
    return certificates;
  }

  /** Whether each certificate's issuer is the next certificate's subject. */
  private static boolean linked(List<X509Certificate> chain) {
    for (int i = 0; i + 1 < chain.size(); i++) {
      if (!chain.get(i).getIssuerX500Principal()
          .equals(chain.get(i + 1).getSubjectX500Principal())) {
        return false;
      }
    }
    return true;
  }
}
