package org.est4j.server.jetty;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/** The server's TLS identity: its certificate chain (leaf first) and private key. */
public record TlsCredentials(List<X509Certificate> chain, PrivateKey privateKey) {
  private static final String ALIAS = "est4j";

  public TlsCredentials {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("the TLS certificate chain is empty");
    }
    Objects.requireNonNull(privateKey, "privateKey");
  }

  @Override
  public String toString() {
    return "TlsCredentials[" + chain.get(0).getSubjectX500Principal() + "]"; // never the key
  }

  /** A key manager that always presents this identity. */
  X509ExtendedKeyManager keyManager() {
    X509Certificate[] certs = chain.toArray(new X509Certificate[0]);
    return new X509ExtendedKeyManager() {
      @Override
      public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
      }

      @Override
      public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
      }

      @Override
      public String[] getServerAliases(String keyType, Principal[] issuers) {
        return new String[] {ALIAS};
      }

      @Override
      public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return ALIAS;
      }

      @Override
      public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return ALIAS;
      }

      @Override
      public X509Certificate[] getCertificateChain(String alias) {
        return certs.clone();
      }

      @Override
      public PrivateKey getPrivateKey(String alias) {
        return privateKey;
      }
    };
  }
}
