package org.est4j.tpm.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;
import org.est4j.testing.Swtpm;
import org.est4j.tpm.Tools;
import org.est4j.testing.TestCertificate;
import org.est4j.testing.TestPki;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSSE TLS client authentication with a TPM key, TLS 1.2 and 1.3, RSA (PKCS#1 v1.5 or PSS as JSSE
 * picks; PSS only in 1.3) and ECDSA: the server (JSSE, software) verifies the CertificateVerify
 * signature the TPM made.
 */
class TpmTlsTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({"RSA, TLSv1.3", "RSA, TLSv1.2", "EC, TLSv1.3", "EC, TLSv1.2"})
  void clientAuthentication(String alg, String protocol) throws Exception {
    try (Swtpm swtpm = Tools.swtpm(dir, Swtpm.Transport.UNIX, false);
        TpmDevice tpm = TpmDevice.open(swtpm.device())) {
      TpmObject srk = tpm.createPrimary(Tpm2.RH_OWNER, "", Templates.eccStorage(), "");
      byte[] template = alg.equals("RSA") ? Templates.rsaSigning(2048) : Templates.eccSigning(Tpm2.ECC_NIST_P256);
      KeyBlobs blobs = tpm.create(srk.handle(), "", template, "pw");
      try (TpmPrivateKey key = TpmKeys.load(tpm, srk.handle(), "", blobs, "pw")) {
        TestPki pki = TestPki.create();
        TestCertificate client = TestCertificate.builder().commonName("tpm client").clientAuth()
            .keyPair(new KeyPair(key.publicKey(), key)).signedBy(pki.intermediate()).build();
        SSLContext clientContext = SSLContext.getInstance("TLS");
        clientContext.init(new KeyManager[] {new OneKey(key, client.chain())},
            new TrustManager[] {pki.trustManager()}, null);
        SSLContext serverContext = pki.serverSslContext();
        try (SSLServerSocket ss = (SSLServerSocket) serverContext.getServerSocketFactory()
            .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
          ss.setNeedClientAuth(true);
          ss.setEnabledProtocols(new String[] {protocol});
          CompletableFuture<X509Certificate> seen = CompletableFuture.supplyAsync(() -> {
            try (SSLSocket s = (SSLSocket) ss.accept()) {
              s.getOutputStream().write(s.getInputStream().read());
              return (X509Certificate) s.getSession().getPeerCertificates()[0];
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
          try (SSLSocket c = (SSLSocket) clientContext.getSocketFactory()
              .createSocket(InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
            c.setEnabledProtocols(new String[] {protocol});
            OutputStream out = c.getOutputStream();
            InputStream in = c.getInputStream();
            out.write(42);
            out.flush();
            assertThat(in.read()).isEqualTo(42);
            assertThat(c.getSession().getProtocol()).isEqualTo(protocol);
          }
          assertThat(seen.get(30, TimeUnit.SECONDS).getPublicKey()).isEqualTo(key.publicKey());
        }
      }
      tpm.flush(srk.handle());
    }
  }

  /** The key manager JSSE asks for the client key: always the TPM key. */
  private record OneKey(PrivateKey key, List<X509Certificate> chain) implements X509KeyManager {
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {"tpm"};
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return List.of(keyType).contains(key.getAlgorithm()) ? "tpm" : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return new String[0];
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return chain.toArray(new X509Certificate[0]);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return key;
    }
  }
}
