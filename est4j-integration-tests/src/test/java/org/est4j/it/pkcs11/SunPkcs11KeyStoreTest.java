package org.est4j.it.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.AuthProvider;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.client.ClientIdentity;
import org.est4j.client.CsrBuilder;
import org.est4j.client.EnrollResult;
import org.est4j.client.EstClient;
import org.est4j.client.TrustAnchors;
import org.junit.jupiter.api.Test;

/**
 * The route that needs no JVM flag (est4j-client README): a key whose certificate is on the token,
 * reached through SunPKCS11 configured by the application (library and slot), its KeyStore, and
 * est4j's ClientIdentity/CsrBuilder. est4j's own PKCS#11 code is not involved: the key is a
 * SunPKCS11 key and its signatures go through the JCA's provider selection to SunPKCS11.
 */
class SunPkcs11KeyStoreTest {

  @Test
  void certificateBackedKeyThroughSunPkcs11() throws Exception {
    SoftHsm hsm = SoftHsm.get();
    String config = "--name=est4jTest\nlibrary=" + hsm.library() + "\nslot=" + hsm.slotOf(SoftHsm.KEYSTORE_TOKEN) + "\n";
    Provider p = Security.getProvider("SunPKCS11").configure(config);
    Security.addProvider(p);
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.empty(), "127.0.0.1:0")) {
      KeyStore ks = KeyStore.getInstance("PKCS11", p);
      ks.load(null, SoftHsm.PIN.toCharArray());
      // the key without a certificate (id 04) is invisible here: only "with-cert" shows
      assertThat(Collections.list(ks.aliases())).containsExactly("with-cert");
      PrivateKey key = (PrivateKey) ks.getKey("with-cert", null);
      X509Certificate placeholder = (X509Certificate) ks.getCertificate("with-cert");
      assertThat(key.getEncoded()).isNull(); // sensitive: only the token can use it

      EstClient est = EstClient.builder().server("127.0.0.1:" + server.port())
          .trust(TrustAnchors.explicit(List.of(server.root()))).build();
      byte[] csr = CsrBuilder.create().commonName("sunpkcs11").sign(key, placeholder.getPublicKey());
      X509Certificate cert = ((EnrollResult.Issued) est.enroll(csr)).certificate();
      assertThat(cert.getPublicKey()).isEqualTo(placeholder.getPublicKey());

      EstClient renewer = EstClient.builder().server("127.0.0.1:" + server.port())
          .trust(TrustAnchors.explicit(List.of(server.root())))
          .clientIdentity(ClientIdentity.of(key, List.of(cert))).build();
      X509Certificate renewed = ((EnrollResult.Issued) renewer.reenroll(
          CsrBuilder.forReenrollment(cert).sign(key, cert.getPublicKey()))).certificate();
      assertThat(renewed.getSubjectX500Principal()).isEqualTo(cert.getSubjectX500Principal());
    } finally {
      ((AuthProvider) p).logout(); // PKCS#11 logins are per process: leave the token as found
      Security.removeProvider(p.getName());
    }
  }
}
