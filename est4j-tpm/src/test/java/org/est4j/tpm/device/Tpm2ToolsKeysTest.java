package org.est4j.tpm.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.util.Optional;
import java.util.OptionalInt;
import org.est4j.testing.Swtpm;
import org.est4j.tpm.Tools;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys made by tpm2-tools (an independent TSS) as the seed's README would have users make them:
 * a persistent storage key, then {@code tpm2_create -u key.pub -r key.priv}. est4j loads those
 * files under the storage key and signs through the JCA; the signature verifies in software.
 */
class Tpm2ToolsKeysTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"rsa2048", "ecc256"})
  void blobsWrittenByTpm2CreateLoadAndSign(String alg) throws Exception {
    try (Swtpm swtpm = Tools.swtpm(dir.resolve("tpm"), Swtpm.Transport.TCP, false)) {
      tpm2(swtpm, "tpm2_createprimary", "-C", "o", "-G", "rsa2048", "-p", "opensesame", "-c", "srk.ctx");
      tpm2(swtpm, "tpm2_evictcontrol", "-C", "o", "-c", "srk.ctx", "0x81000001");
      tpm2(swtpm, "tpm2_flushcontext", "-t");
      tpm2(swtpm, "tpm2_create", "-C", "0x81000001", "-P", "opensesame", "-G", alg, "-p", "xyzzy",
          "-a", "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|sign", "-u", "key.pub", "-r", "key.priv");
      TpmKeyConfig config = new TpmKeyConfig(swtpm.device(), OptionalInt.empty(), OptionalInt.of(0x81000001),
          OptionalInt.empty(), "xyzzy", "opensesame", "", Optional.empty(),
          Optional.of(dir.resolve("key.pub")), Optional.of(dir.resolve("key.priv")));
      byte[] data = "signed by a tpm2-tools key".getBytes(StandardCharsets.UTF_8);
      try (TpmPrivateKey key = TpmKeys.open(config)) {
        String sigAlg = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        Signature s = Signature.getInstance(sigAlg);
        s.initSign(key);
        s.update(data);
        byte[] sig = s.sign();
        Signature v = Signature.getInstance(sigAlg);
        v.initVerify(key.publicKey());
        v.update(data);
        assertThat(v.verify(sig)).isTrue();
      }
    }
  }

  private void tpm2(Swtpm swtpm, String tool, String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = tool;
    System.arraycopy(args, 0, cmd, 1, args.length);
    Tools.tpm2(swtpm, dir, cmd);
  }
}
