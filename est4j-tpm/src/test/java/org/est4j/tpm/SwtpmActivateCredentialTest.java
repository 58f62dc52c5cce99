package org.est4j.tpm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.est4j.testing.Swtpm;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The independent check of MakeCredential: a real TPM (swtpm) must accept our output in
 * TPM2_ActivateCredential, driven by tpm2-tools, and return the credential. The EK is created by
 * the TPM from the TCG default template (RSA-2048 or ECC P-256), the AK by tpm2_createak, and our
 * parser must reproduce the Name tpm2-tools computed.
 */
class SwtpmActivateCredentialTest {
  private static final String EK = "0x81010001";
  private static final String AK = "0x81010002";

  @ParameterizedTest
  @CsvSource({"rsa, rsa, rsassa", "ecc, ecc, ecdsa", "rsa, ecc, ecdsa", "ecc, rsa, rsassa"})
  void realTpmActivatesOurCredential(String ekAlg, String akAlg, String akScheme, @TempDir Path dir)
      throws Exception {
    try (Swtpm tpm = Tools.swtpm(dir.resolve("tpm"), Swtpm.Transport.TCP, false)) {
      Tools.tpm2(tpm, dir, "tpm2_createek", "-c", EK, "-G", ekAlg, "-u", "ek.pub");
      Tools.tpm2(tpm, dir, "tpm2_flushcontext", "-t");
      Tools.tpm2(tpm, dir, "tpm2_createak", "-C", EK, "-c", "ak.ctx", "-G", akAlg, "-g", "sha256",
          "-s", akScheme, "-u", "ak.pub", "-n", "ak.name");
      Tools.tpm2(tpm, dir, "tpm2_flushcontext", "-t");
      Tools.tpm2(tpm, dir, "tpm2_evictcontrol", "-C", "o", "-c", "ak.ctx", AK);
      Tools.tpm2(tpm, dir, "tpm2_flushcontext", "-t");
      Tools.tpm2(tpm, dir, "tpm2_readpublic", "-c", EK, "-f", "tpmt", "-o", "ek.tpmt");
      Tools.tpm2(tpm, dir, "tpm2_readpublic", "-c", AK, "-f", "tpmt", "-o", "ak.tpmt");

      TpmPublic ek = TpmPublic.parse(Files.readAllBytes(dir.resolve("ek.tpmt")));
      TpmPublic ak = TpmPublic.parse(Files.readAllBytes(dir.resolve("ak.tpmt")));
      // tpm2-tools' TPM2B_PUBLIC form parses to the same area; the TPM's Name equals ours
      assertThat(TpmPublic.parseTpm2b(Files.readAllBytes(dir.resolve("ek.pub")))).isEqualTo(ek);
      assertThat(ak.name()).isEqualTo(Files.readAllBytes(dir.resolve("ak.name")));
      assertThat(ek.isRestrictedDecryptionKey()).isTrue();
      assertThat(ek.isEcc()).isEqualTo(ekAlg.equals("ecc"));

      byte[] credential = new byte[16];
      new SecureRandom().nextBytes(credential);
      CredentialChallenge challenge = MakeCredential.make(credential, ek, ak);
      Files.write(dir.resolve("cred.in"), tpm2ToolsCredentialFile(challenge));

      Tools.tpm2(tpm, dir, "tpm2_startauthsession", "--policy-session", "-S", "session.ctx");
      Tools.tpm2(tpm, dir, "tpm2_policysecret", "-S", "session.ctx", "-c", "e");
      Tools.tpm2(tpm, dir, "tpm2_activatecredential", "-c", AK, "-C", EK, "-i", "cred.in",
          "-o", "cred.out", "-P", "session:session.ctx");
      Tools.tpm2(tpm, dir, "tpm2_flushcontext", "session.ctx");
      assertThat(Files.readAllBytes(dir.resolve("cred.out"))).isEqualTo(credential);
    }
  }

  /** tpm2-tools' credential file: magic 0xBADCC0DE, version 1, TPM2B_ID_OBJECT, TPM2B_ENCRYPTED_SECRET. */
  static byte[] tpm2ToolsCredentialFile(CredentialChallenge c) {
    return new TpmWriter().u32(0xBADCC0DE).u32(1)
        .bytes(c.idObject()).bytes(c.encryptedSecretTpm2b()).toByteArray();
  }
}
