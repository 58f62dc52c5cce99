package org.est4j.tpm.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalInt;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.est4j.protocol.Jca;
import org.est4j.testing.Swtpm;
import org.est4j.tpm.Tools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signing keys created in swtpm (RSA and ECC, unrestricted, under a storage primary), persisted
 * or kept as blobs, signing through the JCA and verified in software.
 */
class TpmKeysTest {
  static final int SRK = 0x81000001;
  static final byte[] DATA = "to be signed".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;
  Swtpm swtpm;
  TpmDevice tpm;

  @BeforeEach
  void start() throws Exception {
    swtpm = Tools.swtpm(dir.resolve("tpm"), Swtpm.Transport.UNIX, false);
    tpm = TpmDevice.open(swtpm.device());
    TpmObject srk = tpm.createPrimary(Tpm2.RH_OWNER, "", Templates.rsaStorage(), "opensesame");
    tpm.persist(srk.handle(), SRK, "");
    tpm.flush(srk.handle());
  }

  @AfterEach
  void stop() throws Exception {
    if (tpm != null) {
      tpm.close();
    }
    if (swtpm != null) {
      swtpm.close();
    }
  }

  /** Creates a key under the SRK and persists it at {@code handle}. */
  static KeyBlobs createPersistent(TpmDevice tpm, byte[] template, String password, int handle) throws Exception {
    KeyBlobs blobs = tpm.create(SRK, "opensesame", template, password);
    int loaded = tpm.load(SRK, "opensesame", blobs);
    tpm.persist(loaded, handle, "");
    tpm.flush(loaded);
    return blobs;
  }

  @Test
  void rsaPersistentKeySignsPkcs1AndPssThroughDelayedProviderSelection() throws Exception {
    createPersistent(tpm, Templates.rsaSigning(2048), "xyzzy", 0x81000010);
    try (TpmPrivateKey key = TpmKeys.persistent(tpm, 0x81000010, "xyzzy")) {
      assertThat(key.getAlgorithm()).isEqualTo("RSA");
      assertThat(key.getEncoded()).isNull();
      for (String alg : new String[] {"SHA256withRSA", "SHA384withRSA", "SHA512withRSA"}) {
        Signature s = Signature.getInstance(alg);
        s.initSign(key);
        s.update(DATA);
        byte[] sig = s.sign();
        assertThat(s.getProvider().getName()).isEqualTo(TpmProvider.NAME);
        assertThat(verify(alg, null, key, sig)).as(alg).isTrue();
      }
      // TLS 1.3's rsa_pss_rsae_sha256 (parameters after the key: delayed selection picks at initSign)
      PSSParameterSpec pss = new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);
      Signature s = Signature.getInstance("RSASSA-PSS");
      s.initSign(key);
      s.setParameter(pss);
      s.update(DATA);
      byte[] sig = s.sign();
      assertThat(verify("RSASSA-PSS", pss, key, sig)).isTrue();
      PSSParameterSpec maxSalt = new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 222, 1);
      Signature bad = Signature.getInstance("RSASSA-PSS", TpmProvider.get());
      assertThatThrownBy(() -> bad.setParameter(maxSalt)).hasMessageContaining("salt");
    }
  }

  @Test
  void ecPersistentKeySignsEcdsaAndJcaRoutesItToTheTpmEvenWithAPreferredProvider() throws Exception {
    createPersistent(tpm, Templates.eccSigning(Tpm2.ECC_NIST_P256), "", 0x81000011);
    Jca.prefer(new BouncyCastleProvider());
    try (TpmPrivateKey key = TpmKeys.persistent(tpm, 0x81000011, "")) {
      assertThat(key.getAlgorithm()).isEqualTo("EC");
      for (String alg : new String[] {"SHA256withECDSA", "SHA384withECDSA"}) {
        Signature s = Jca.signer(alg, key);
        assertThat(s.getProvider().getName()).isEqualTo(TpmProvider.NAME);
        s.update(DATA);
        assertThat(verify(alg, null, key, s.sign())).as(alg).isTrue();
      }
    } finally {
      Jca.prefer(null);
    }
  }

  @Test
  void theKeyPasswordNeverCrossesTheTransport() throws Exception {
    String password = "correct horse battery staple";
    createPersistent(tpm, Templates.eccSigning(Tpm2.ECC_NIST_P256), password, 0x81000014);
    tpm.close(); // swtpm serves one connection at a time
    tpm = null;
    RecordingTransport recording = new RecordingTransport(TpmTransports.open(swtpm.device()));
    java.util.List<byte[]> sent = recording.sent;
    try (TpmDevice recorded = TpmDevice.over(recording);
        TpmPrivateKey key = TpmKeys.persistent(recorded, 0x81000014, password)) {
      for (int i = 0; i < 3; i++) { // one HMAC session, its nonces rolling from signature to signature
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update(DATA);
        assertThat(verify("SHA256withECDSA", null, key, s.sign())).isTrue();
      }
    }
    String needle = HexFormat.of().formatHex(password.getBytes(StandardCharsets.UTF_8));
    assertThat(sent).hasSizeGreaterThan(4)
        .allSatisfy(c -> assertThat(HexFormat.of().formatHex(c)).doesNotContain(needle));

    // a Sign response altered on the way (its last byte is the response HMAC's): refused
    TpmTransport inner2 = TpmTransports.open(swtpm.device());
    TpmTransport tampering = new TpmTransport() {
      @Override
      public byte[] transmit(byte[] command) throws java.io.IOException {
        byte[] r = inner2.transmit(command);
        boolean sign = command[9] == (byte) 0x5D && command[8] == 0x01;
        if (sign && r.length > 10) {
          r[r.length - 1] ^= 1;
        }
        return r;
      }

      @Override
      public String describe() {
        return inner2.describe();
      }

      @Override
      public void close() throws java.io.IOException {
        inner2.close();
      }
    };
    try (TpmDevice tampered = TpmDevice.over(tampering);
        TpmPrivateKey key = TpmKeys.persistent(tampered, 0x81000014, password)) {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(key);
      s.update(DATA);
      assertThatThrownBy(s::sign).hasMessageContaining("the response HMAC does not verify");
    }
  }

  @Test
  void softwareProvidersAheadInTheListStillPassTheKeyOn() throws Exception {
    createPersistent(tpm, Templates.rsaSigning(2048), "", 0x81000013);
    java.security.Security.insertProviderAt(new BouncyCastleProvider(), 1);
    try (TpmPrivateKey key = TpmKeys.persistent(tpm, 0x81000013, "")) {
      Signature s = Signature.getInstance("SHA384withRSA");
      s.initSign(key);
      s.update(DATA);
      byte[] sig = s.sign();
      assertThat(s.getProvider().getName()).isEqualTo(TpmProvider.NAME);
      assertThat(verify("SHA384withRSA", null, key, sig)).isTrue();
    } finally {
      java.security.Security.removeProvider(BouncyCastleProvider.PROVIDER_NAME);
    }
  }

  @Test
  void blobsLoadedUnderTheStorageKeyFromTpm2ToolsStyleFilesAndFlushedOnClose() throws Exception {
    KeyBlobs blobs = tpm.create(SRK, "opensesame", Templates.eccSigning(Tpm2.ECC_NIST_P256), "xyzzy");
    Path pub = dir.resolve("key.pub");
    Path priv = dir.resolve("key.priv");
    blobs.write(pub, priv);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv))).isEqualTo("rw-------");
    TpmKeyConfig config = new TpmKeyConfig(swtpm.device(), OptionalInt.empty(), OptionalInt.of(SRK),
        OptionalInt.empty(), "xyzzy", "opensesame", "", Optional.empty(), Optional.of(pub), Optional.of(priv));
    tpm.close(); // swtpm serves one connection at a time
    tpm = null;
    int handle;
    try (TpmPrivateKey key = TpmKeys.open(config)) {
      handle = key.handle();
      assertThat(handle >>> 24).isEqualTo(0x80); // transient
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(key);
      s.update(DATA);
      assertThat(verify("SHA256withECDSA", null, key, s.sign())).isTrue();
    }
    try (TpmDevice again = TpmDevice.open(swtpm.device())) {
      assertThatThrownBy(() -> again.readPublic(handle)).isInstanceOf(TpmException.class);
    }
  }

  @Test
  void wrongPasswordAndMissingSettingsAreClearErrors() throws Exception {
    createPersistent(tpm, Templates.rsaSigning(2048), "xyzzy", 0x81000012);
    try (TpmPrivateKey key = TpmKeys.persistent(tpm, 0x81000012, "wrong")) {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(key);
      s.update(DATA);
      assertThatThrownBy(s::sign).hasMessageContaining("TPM_RC_AUTH_FAIL").hasMessageContaining("session 1");
    }
    assertThatThrownBy(() -> TpmKeys.persistent(tpm, SRK, "")).hasMessageContaining("not a signing key");
    assertThatThrownBy(() -> TpmKeys.persistent(tpm, 0x81000099, ""))
        .hasMessageContaining("TPM2_ReadPublic(0x81000099)").hasMessageContaining("TPM_RC_HANDLE");
    TpmKeyConfig none = new TpmKeyConfig(swtpm.device(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
        "", "", "", Optional.empty(), Optional.empty(), Optional.empty());
    assertThatThrownBy(() -> TpmKeys.open(none))
        .hasMessage("no key handle or public/private areas in configuration file");
    TpmKeyConfig noStorage = new TpmKeyConfig(swtpm.device(), OptionalInt.empty(), OptionalInt.empty(),
        OptionalInt.empty(), "", "", "", Optional.empty(), Optional.of(dir.resolve("a.pub")), Optional.empty());
    assertThatThrownBy(() -> TpmKeys.open(noStorage)).hasMessage("no storage key in configuration file");
    assertThatThrownBy(() -> TpmKeys.open(TpmKeyConfig.persistent("", 0x81000012, "")))
        .hasMessage("no TPM device in configuration file");
  }

  static boolean verify(String alg, PSSParameterSpec pss, TpmPrivateKey key, byte[] sig) throws Exception {
    Signature v = Signature.getInstance(alg);
    if (pss != null) {
      v.setParameter(pss);
    }
    v.initVerify(key.publicKey());
    v.update(DATA);
    return v.verify(sig);
  }
}
