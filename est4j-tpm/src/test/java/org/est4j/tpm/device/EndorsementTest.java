package org.est4j.tpm.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import org.est4j.testing.Swtpm;
import org.est4j.tpm.Tools;
import org.est4j.tpm.TpmPublic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EKs and EK certificates of a swtpm provisioned by swtpm_setup. */
class EndorsementTest {
  @TempDir Path dir;

  @Test
  void ekPublicAreasCertificatesFromNvAndTheDefaultTemplates() throws Exception {
    try (Swtpm swtpm = Tools.swtpm(dir, Swtpm.Transport.UNIX, true);
        TpmDevice tpm = TpmDevice.open(swtpm.device())) {
      TpmPublic rsaEk = TpmPublic.parse(tpm.readPublic(0x81010001).publicArea());
      TpmPublic eccEk = TpmPublic.parse(tpm.readPublic(0x81010016).publicArea());
      assertThat(rsaEk.isRsa()).isTrue();
      assertThat(rsaEk.isRestrictedDecryptionKey()).isTrue();
      assertThat(eccEk.isEcc()).isTrue();

      List<X509Certificate> certs = tpm.readEkCertificates();
      assertThat(certs).hasSize(2); // RSA 2048 (0x01C00002) and ECC P-384 (0x01C00016), not the platform cert
      assertThat(certs.get(0).getPublicKey()).isEqualTo(rsaEk.publicKey());
      assertThat(((ECPublicKey) certs.get(1).getPublicKey()).getW()).isEqualTo(((ECPublicKey) eccEk.publicKey()).getW());
      // the same bytes swtpm_setup wrote out
      assertThat(certs.get(0)).isEqualTo(read(swtpm.ekCertificateDir().resolve("ek-rsa2048.crt")));
      assertThat(certs.get(1)).isEqualTo(read(swtpm.ekCertificateDir().resolve("ek-secp384r1.crt")));
      NvPublic nv = tpm.nvReadPublic(0x01C00002);
      assertThat(nv.dataSize()).isGreaterThan(512); // read in more than one chunk
      assertThat(nv.has(NvPublic.WRITTEN)).isTrue();

      // template L-1 recreates the very EK swtpm_setup persisted
      TpmObject recreated = tpm.createPrimary(Tpm2.RH_ENDORSEMENT, "", Templates.rsaEk(), "");
      assertThat(recreated.handle() >>> 24).isEqualTo(0x80);
      assertThat(TpmPublic.parse(recreated.publicArea()).publicKey()).isEqualTo(rsaEk.publicKey());
      assertThat(recreated.name()).isEqualTo(tpm.readPublic(0x81010001).name());
      tpm.flush(recreated.handle());
      TpmObject ecc = tpm.createPrimary(Tpm2.RH_ENDORSEMENT, "", Templates.eccEk(), "");
      TpmPublic eccL2 = TpmPublic.parse(ecc.publicArea());
      assertThat(eccL2.isRestrictedDecryptionKey()).isTrue();
      assertThat(eccL2.name()).isEqualTo(ecc.name());
      tpm.flush(ecc.handle());
    }
  }

  @Test
  void aTpmWithoutEkCertificatesGivesAnEmptyList() throws Exception {
    try (Swtpm swtpm = Tools.swtpm(dir, Swtpm.Transport.UNIX, false);
        TpmDevice tpm = TpmDevice.open(swtpm.device())) {
      assertThat(tpm.readEkCertificates()).isEmpty();
    }
  }

  private static X509Certificate read(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
