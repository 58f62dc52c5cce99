package org.est4j.protocol.pem;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Writes certificates and private keys as PEM text, the counterpart of {@link PemReader}.
 *
 * <p>Private keys are always written as unencrypted PKCS#8 {@code PRIVATE KEY} blocks, the one
 * format every current tool reads regardless of the key type.
 */
public final class PemWriter {

  private PemWriter() {}

  /** One {@code CERTIFICATE} block. */
  public static String toPem(X509Certificate certificate) {
    return toPem(List.of(certificate));
  }

  /** One {@code CERTIFICATE} block per certificate, in list order. */
  public static String toPem(List<X509Certificate> certificates) {
    StringWriter out = new StringWriter();
    try (org.bouncycastle.util.io.pem.PemWriter pem =
        new org.bouncycastle.util.io.pem.PemWriter(out)) {
      for (X509Certificate certificate : certificates) {
        pem.writeObject(new PemObject("CERTIFICATE", certificate.getEncoded()));
      }
    } catch (CertificateEncodingException e) {
      // A certificate object that exists can always be encoded; this is a broken provider.
      throw new IllegalArgumentException("certificate cannot be encoded", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  /** A PKCS#8 {@code PRIVATE KEY} block. The key must be extractable (not held in a token). */
  public static String privateKeyToPem(PrivateKey key) {
    byte[] encoded = key.getEncoded();
    if (encoded == null || !"PKCS#8".equalsIgnoreCase(key.getFormat())) {
      throw new IllegalArgumentException(
          "the " + key.getAlgorithm() + " private key cannot be exported as PKCS#8");
    }
    StringWriter out = new StringWriter();
    try (org.bouncycastle.util.io.pem.PemWriter pem =
        new org.bouncycastle.util.io.pem.PemWriter(out)) {
      pem.writeObject(new PemObject("PRIVATE KEY", encoded));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
