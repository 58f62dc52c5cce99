package org.est4j.tpm.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.est4j.testing.Swtpm;
import org.est4j.tpm.Tools;
import org.est4j.tpm.CredentialChallenge;
import org.est4j.tpm.MakeCredential;
import org.est4j.tpm.TpmPublic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TPM2_ActivateCredential through a PolicySecret(endorsement) session on swtpm, with credentials
 * made in software by est4j's MakeCredential (RSA and ECC EKs) and by tpm2-tools'
 * {@code tpm2_makecredential -T none}.
 */
class ActivateCredentialTest {
  static final int RSA_EK = 0x81010001;
  static final int ECC_EK = 0x81010016;
  static final int AK = 0x81000020;

  @TempDir Path dir;
  Swtpm swtpm;
  TpmDevice tpm;
  TpmObject ak;
  byte[] credential = new byte[16];

  @BeforeEach
  void start() throws Exception {
    swtpm = Tools.swtpm(dir.resolve("tpm"), Swtpm.Transport.TCP, true);
    tpm = TpmDevice.open(swtpm.device());
    TpmObject srk = tpm.createPrimary(Tpm2.RH_OWNER, "", Templates.rsaStorage(), "");
    KeyBlobs blobs = tpm.create(srk.handle(), "", Templates.rsaSigning(2048), "xyzzy");
    int loaded = tpm.load(srk.handle(), "", blobs);
    tpm.persist(loaded, AK, "");
    tpm.flush(loaded);
    tpm.flush(srk.handle());
    ak = tpm.readPublic(AK);
    new SecureRandom().nextBytes(credential);
  }

  @AfterEach
  void stop() throws Exception {
    tpm.close();
    swtpm.close();
  }

  @Test
  void rsaAndEccEkWithEst4jMakeCredential() throws Exception {
    // swtpm_setup's RSA EK (template L-1: policy session), its P-384 EK (userWithAuth: password),
    // and an ECC P-256 EK from template L-2 (policy session)
    int eccL2 = tpm.createPrimary(Tpm2.RH_ENDORSEMENT, "", Templates.eccEk(), "").handle();
    for (int ek : new int[] {RSA_EK, ECC_EK, eccL2}) {
      TpmPublic ekPub = TpmPublic.parse(tpm.readPublic(ek).publicArea());
      CredentialChallenge c = MakeCredential.make(credential, ekPub, TpmPublic.parse(ak.publicArea()));
      byte[] recovered = tpm.activateCredential(AK, "xyzzy", ek, "", c.credentialBlob(), c.encryptedSecret());
      assertThat(recovered).as(Tpm2.hex(ek)).isEqualTo(credential);
    }
  }

  @Test
  void theAkPasswordIsNotSent() throws Exception {
    TpmPublic ekPub = TpmPublic.parse(tpm.readPublic(RSA_EK).publicArea());
    CredentialChallenge c = MakeCredential.make(credential, ekPub, TpmPublic.parse(ak.publicArea()));
    tpm.close(); // swtpm serves one connection at a time
    RecordingTransport recording = new RecordingTransport(TpmTransports.open(swtpm.device()));
    java.util.List<byte[]> sent = recording.sent;
    tpm = TpmDevice.over(recording);
    assertThat(tpm.activateCredential(AK, "xyzzy", RSA_EK, "", c.credentialBlob(), c.encryptedSecret()))
        .isEqualTo(credential);
    String needle = HexFormat.of().formatHex("xyzzy".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(sent).hasSizeGreaterThan(3).allSatisfy(b -> assertThat(HexFormat.of().formatHex(b)).doesNotContain(needle));
  }

  @Test
  void independentlyMadeByTpm2ToolsInSoftware() throws Exception {
    Path ekPub = dir.resolve("ek.pub");
    Files.write(ekPub, new TpmWriter().tpm2b(tpm.readPublic(RSA_EK).publicArea()).toByteArray());
    Path secret = Files.write(dir.resolve("secret.bin"), credential);
    Path out = dir.resolve("cred.out");
    run("tpm2_makecredential", "-T", "none", "-u", ekPub.toString(), "-s", secret.toString(),
        "-n", HexFormat.of().formatHex(ak.name()), "-o", out.toString());
    // tpm2-tools' file: magic 0xBADCC0DE, version 1, TPM2B_ID_OBJECT, TPM2B_ENCRYPTED_SECRET
    TpmReader r = new TpmReader(Files.readAllBytes(out), "cred.out");
    assertThat(r.u32()).isEqualTo(0xBADCC0DE);
    assertThat(r.u32()).isEqualTo(1);
    byte[] blob = r.tpm2b();
    byte[] seed = r.tpm2b();
    assertThat(tpm.activateCredential(AK, "xyzzy", RSA_EK, "", blob, seed)).isEqualTo(credential);
  }

  @Test
  void aCredentialForAnotherKeyOrAWrongPasswordFails() throws Exception {
    TpmPublic ekPub = TpmPublic.parse(tpm.readPublic(RSA_EK).publicArea());
    byte[] otherName = ak.name();
    otherName[otherName.length - 1] ^= 1;
    CredentialChallenge c = MakeCredential.make(credential, ekPub, otherName);
    assertThatThrownBy(() -> tpm.activateCredential(AK, "xyzzy", RSA_EK, "", c.credentialBlob(), c.encryptedSecret()))
        .isInstanceOf(TpmException.class).hasMessageContaining("TPM2_ActivateCredential")
        .hasMessageContaining("TPM_RC_INTEGRITY");
    CredentialChallenge good = MakeCredential.make(credential, ekPub, ak.name());
    assertThatThrownBy(() -> tpm.activateCredential(AK, "wrong", RSA_EK, "", good.credentialBlob(),
        good.encryptedSecret())).isInstanceOf(TpmException.class).hasMessageContaining("TPM_RC_AUTH_FAIL");
    // the failed attempts leave no session behind: the next activation works
    assertThat(tpm.activateCredential(AK, "xyzzy", RSA_EK, "", good.credentialBlob(), good.encryptedSecret()))
        .isEqualTo(credential);
    assertThat(Arrays.equals(credential, new byte[16])).isFalse();
  }

  private void run(String tool, String... args) throws Exception {
    Tools.require(tool, "tpm2-tools");
    String[] cmd = new String[args.length + 1];
    cmd[0] = tool;
    System.arraycopy(args, 0, cmd, 1, args.length);
    Tools.check(dir, Map.of(), cmd);
  }
}
