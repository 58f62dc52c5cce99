package org.est4j.it.tpm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code estclient tpmenroll}'s checks before any TPM or server is touched, with the seed's messages
 * (seed-behavior §3.3), and its usage text. No swtpm needed.
 */
class EstClientTpmEnrollConfigTest {
  @TempDir Path dir;

  private Path config(String privateKey) throws Exception {
    return Files.writeString(dir.resolve("tpm.cfg"),
        "{\"server\": \"localhost:1\", \"private_key\": " + privateKey + "}", StandardCharsets.UTF_8);
  }

  private ClientCli.Result tpmenroll(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "tpmenroll";
    System.arraycopy(args, 0, all, 1, args.length);
    return ClientCli.run(dir, all);
  }

  @Test
  void withoutATpmKeyInTheConfiguration() throws Exception {
    assertThat(tpmenroll("-cn", "x").stderr())
        .contains("private key in configuration file is not a TPM private key");
    Files.writeString(dir.resolve("key.pem"), "unused");
    Path cfg = config("\"key.pem\"");
    ClientCli.Result r = tpmenroll("-config", cfg.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr()).contains("private key in configuration file is not a TPM private key");
  }

  @Test
  void keyFlagOverridesTheTpmKeySoItIsRefusedLikeTheSeed() throws Exception {
    Path cfg = config("{\"tpm\": {\"device\": \"/dev/tpmrm0\", \"ek_handle\": 2164326401, \"persistent_handle\": 2164391936}}");
    Files.writeString(dir.resolve("key.pem"), "unused");
    ClientCli.Result r = tpmenroll("-config", cfg.toString(), "-key", "key.pem");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr()).contains("private key in configuration file is not a TPM private key");
  }

  @Test
  void missingEndorsementKeyHandle() throws Exception {
    Path cfg = config("{\"tpm\": {\"device\": \"/dev/tpmrm0\", \"persistent_handle\": 2164391936}}");
    ClientCli.Result r = tpmenroll("-config", cfg.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr()).contains("estclient: no endorsement key in configuration file (private_key.tpm.ek_handle");
  }

  @Test
  void missingDevice() throws Exception {
    Path cfg = config("{\"tpm\": {\"ek_handle\": 2164326401, \"persistent_handle\": 2164391936}}");
    ClientCli.Result r = tpmenroll("-config", cfg.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr()).contains("estclient: no TPM device in configuration file (private_key.tpm.device");
  }

  @Test
  void handleOutsideUint32() throws Exception {
    Path cfg = config("{\"tpm\": {\"device\": \"/dev/tpmrm0\", \"ek_handle\": 4294967296}}");
    ClientCli.Result r = tpmenroll("-config", cfg.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr()).contains("ek_handle: invalid handle value 4294967296");
  }

  @Test
  void unreadableEkCertsFileIsNamed() throws Exception {
    Path cfg = config("{\"tpm\": {\"device\": \"/dev/tpmrm0\", \"ek_handle\": 2164326401,"
        + " \"persistent_handle\": 2164391936, \"ek_certs\": \"missing.pem\"}}");
    ClientCli.Result r = tpmenroll("-config", cfg.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.stderr()).contains("private_key.tpm.ek_certs " + dir.resolve("missing.pem"));
  }

  @Test
  void missingTpmDeviceIsNamed() throws Exception {
    Path cfg = config("{\"tpm\": {\"device\": \"" + dir.resolve("no-such-tpm") + "\", \"ek_handle\": 2164326401,"
        + " \"persistent_handle\": 2164391936, \"bogus\": 1}}");
    ClientCli.Result r = tpmenroll("-config", cfg.toString());
    assertThat(r.exit()).as(r.describe()).isEqualTo(1);
    assertThat(r.stderr()).contains(dir.resolve("no-such-tpm").toString());
    assertThat(r.stderr().split("unknown key \"bogus\"", -1)).as("warned once").hasSize(2);
  }

  @Test
  void usage() {
    ClientCli.Result help = ClientCli.run(dir, "help");
    assertThat(help.stdout()).contains("tpmenroll").contains("request a new TPM-protected certificate");
    ClientCli.Result r = ClientCli.run(dir, "tpmenroll", "-help");
    assertThat(r.exit()).isZero();
    assertThat(r.stdout()).contains("-ekcerts").contains("-csr").contains("-cn").contains("-wait")
        .contains("NV indices");
  }
}
