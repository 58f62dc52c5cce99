package org.est4j.testing;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Builds JSSE key and trust managers from test certificates, with the JDK's own algorithms. */
final class Tls {
  private static final char[] NO_PASSWORD = new char[0];

  private Tls() {}

  static X509TrustManager trustManager(Collection<X509Certificate> anchors) {
    try {
      KeyStore store = emptyKeyStore();
      int i = 0;
      for (X509Certificate anchor : anchors) {
        store.setCertificateEntry("anchor-" + i++, anchor);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager tm : factory.getTrustManagers()) {
        if (tm instanceof X509TrustManager) {
          return (X509TrustManager) tm;
        }
      }
      throw new IllegalStateException("no X509TrustManager from " + factory.getAlgorithm());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a trust manager", e);
    }
  }

  static KeyManager[] keyManagers(TestCertificate identity) {
    try {
      KeyStore store = emptyKeyStore();
      store.setKeyEntry(
          "identity",
          identity.keyPair().getPrivate(),
          NO_PASSWORD,
          identity.chain().toArray(new X509Certificate[0]));
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, NO_PASSWORD);
      return factory.getKeyManagers();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a key manager", e);
    }
  }

  /** A TLS context; {@code identity} may be null (no certificate to present). */
  static SSLContext sslContext(TestCertificate identity, Collection<X509Certificate> trusted) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          identity == null ? null : keyManagers(identity),
          new TrustManager[] {trustManager(trusted)},
          null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot initialise TLS", e);
    }
  }

  private static KeyStore emptyKeyStore() throws GeneralSecurityException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      return store;
    } catch (IOException e) {
      throw new IllegalStateException("cannot create an in-memory key store", e); // no I/O
    }
  }
}
