package org.est4j.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.X509KeyManager;
import org.est4j.client.internal.FixedKeyManager;
import org.est4j.protocol.pem.PemException;
import org.est4j.protocol.pem.PemReader;

/**
 * The TLS client certificate and key the client authenticates with (RFC 7030 §3.3.2), required
 * for {@link EstClient#reenroll} and accepted by servers as enrollment credentials.
 *
 * <pre>{@code
 * ClientIdentity id = ClientIdentity.fromPem(Path.of("cert.pem"), Path.of("key.pem"), Optional.empty());
 * ClientIdentity hw = ClientIdentity.of(pkcs11KeyManager); // any X509KeyManager, e.g. a PKCS#11 KeyStore's
 * }</pre>
 */
public final class ClientIdentity {
  private final X509KeyManager keyManager;
  private final String description;

  private ClientIdentity(X509KeyManager keyManager, String description) {
    this.keyManager = keyManager;
    this.description = description;
  }

  /** A key (any JCA key, including a hardware one) and its chain, leaf first. */
  public static ClientIdentity of(PrivateKey key, List<X509Certificate> chain) {
    Objects.requireNonNull(key, "key");
    List<X509Certificate> copy = List.copyOf(chain);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("the certificate chain is empty");
    }
    return new ClientIdentity(
        new FixedKeyManager(key, copy), "certificate " + copy.get(0).getSubjectX500Principal());
  }

  /** Any key manager: the way hardware keys (PKCS#11, TPM) plug in. */
  public static ClientIdentity of(X509KeyManager keyManager) {
    return new ClientIdentity(Objects.requireNonNull(keyManager, "keyManager"), "key manager");
  }

  /**
   * A PEM certificate chain (leaf first) and a PEM private key (PKCS#8, PKCS#1, SEC1, encrypted
   * PKCS#8 or legacy encrypted PEM).
   *
   * @param passphrase needed only for an encrypted key
   * @throws IOException naming the file that could not be read or parsed
   */
  public static ClientIdentity fromPem(Path certChain, Path key, Optional<char[]> passphrase)
      throws IOException {
    try {
      List<X509Certificate> chain = PemReader.readCertificates(certChain);
      if (chain.isEmpty()) {
        throw new IOException(certChain + ": no certificate found");
      }
      return of(PemReader.readPrivateKey(key, passphrase), chain);
    } catch (PemException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** The first key entry of a PKCS#12 file; the same password protects the file and the key. */
  public static ClientIdentity fromPkcs12(Path file, char[] password) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try {
        ks.load(in, password);
      } catch (IOException e) {
        // a wrong password surfaces here, as an IOException without the file's name
        throw new IOException(file + ": cannot read PKCS#12 (wrong password?): " + e.getMessage(), e);
      }
      for (Enumeration<String> aliases = ks.aliases(); aliases.hasMoreElements(); ) {
        String alias = aliases.nextElement();
        if (!ks.isKeyEntry(alias)) {
          continue;
        }
        Key k = ks.getKey(alias, password);
        Certificate[] certs = ks.getCertificateChain(alias);
        if (k instanceof PrivateKey && certs != null && certs.length > 0) {
          List<X509Certificate> chain = new ArrayList<>();
          for (Certificate c : certs) {
            chain.add((X509Certificate) c);
          }
          return of((PrivateKey) k, chain);
        }
      }
      throw new IOException(file + ": no private key with a certificate chain found");
    } catch (GeneralSecurityException e) {
      throw new IOException(file + ": cannot read PKCS#12 (wrong password?): " + e.getMessage(), e);
    }
  }

  /** The key manager handed to the TLS layer. */
  public X509KeyManager keyManager() {
    return keyManager;
  }

  @Override
  public String toString() {
    return "ClientIdentity[" + description + "]";
  }
}
