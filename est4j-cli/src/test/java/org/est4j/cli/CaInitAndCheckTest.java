package org.est4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.est4j.protocol.pem.PemReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** estserver ca init (files, modes, refusal to overwrite) and estserver check (good and bad). */
class CaInitAndCheckTest {
  @TempDir Path dir;

  private static ServerRun run(String... args) {
    return ServerRun.of(args);
  }

  private Path config() throws Exception {
    Files.writeString(dir.resolve("ca.pass"), "a long enough passphrase\n");
    return Files.writeString(dir.resolve("estserver.yaml"), String.join("\n",
        "data_dir: data",
        "cas:",
        "  devices: {kind: embedded, passphrase_file: ca.pass}",
        "profiles:",
        "  iot: {key_types: [ec:P-256], san: {dns_suffixes: [devices.example]}}",
        "ca: devices",
        "users: [{username: installer, password: pw}]",
        "labels:",
        "  iot: {profile: iot}",
        ""));
  }

  @Test
  void caInitUsesTheConfigurationsDataDirAndPassphraseAndRefusesToOverwrite() throws Exception {
    Path cfg = config();
    ServerRun first = run("ca", "init", "-config", cfg.toString(), "--name", "devices", "--subject", "CN=Devices Root CA,O=Example");
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out()).contains("created CA 'devices'").contains("CN=Devices Issuing CA,O=Example");
    Path ca = dir.resolve("data/cas/devices");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ca.resolve("issuing-key.pem"))))
        .isEqualTo("rw-------");
    assertThat(PemReader.readPrivateKey(ca.resolve("issuing-key.pem"),
        Optional.of("a long enough passphrase".toCharArray()))).isNotNull();
    byte[] key = Files.readAllBytes(ca.resolve("issuing-key.pem"));

    ServerRun again = run("ca", "init", "-config", cfg.toString(), "--name", "devices");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("already exists").contains("nothing was changed");
    assertThat(Files.readAllBytes(ca.resolve("issuing-key.pem"))).isEqualTo(key);
    ServerRun idempotent = run("ca", "init", "-config", cfg.toString(), "--name", "devices", "--if-missing");
    assertThat(idempotent.exit()).isZero();
    assertThat(Files.readAllBytes(ca.resolve("issuing-key.pem"))).isEqualTo(key);

    ServerRun check = run("check", "-config", cfg.toString());
    assertThat(check.exit()).as(check.err()).isZero();
    assertThat(check.out()).contains(": ok: 1 CA (devices), 1 profile, 1 label, 1 user");
  }

  @Test
  void caInitFlagErrorsExit2() throws Exception {
    assertThat(run("ca", "init", "--name", "x", "--data-dir", dir.toString()).err())
        .contains("--passphrase-file: the CA keys are encrypted");
    Files.writeString(dir.resolve("p"), "a long enough passphrase\n");
    ServerRun badKey = run("ca", "init", "--name", "x", "--data-dir", dir.toString(), "--passphrase-file",
        dir.resolve("p").toString(), "--key", "rsa:1024");
    assertThat(badKey.exit()).isEqualTo(2);
    assertThat(badKey.err()).contains("--key: 'rsa:1024'");
    ServerRun badValidity = run("ca", "init", "--name", "x", "--data-dir", dir.toString(), "--passphrase-file",
        dir.resolve("p").toString(), "--validity", "forever");
    assertThat(badValidity.err()).contains("--validity:");
    assertThat(Files.exists(dir.resolve("cas/x"))).isFalse();
  }

  @Test
  void checkNamesTheKeyOfWhatIsWrong() throws Exception {
    Path cfg = config();
    ServerRun missing = run("check", "-config", cfg.toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("cas.devices: CA 'devices' does not exist").contains("ca init --name devices");
    ServerRun start = run("-config", cfg.toString(), "-listen", "127.0.0.1:0");
    assertThat(start.exit()).as("a start fails the same way, before listening").isEqualTo(2);
    assertThat(start.err()).contains("cas.devices: CA 'devices' does not exist");

    run("ca", "init", "-config", cfg.toString(), "--name", "devices");
    Files.writeString(dir.resolve("ca.pass"), "not the passphrase\n");
    ServerRun wrong = run("check", "-config", cfg.toString());
    assertThat(wrong.exit()).isEqualTo(2);
    assertThat(wrong.err()).contains("cas.devices: wrong passphrase");
    Files.writeString(dir.resolve("ca.pass"), "a long enough passphrase\n");

    Path bad = Files.writeString(dir.resolve("bad.yaml"), Files.readString(cfg).replace("profile: iot", "profile: web"));
    ServerRun unknownProfile = run("check", "-config", bad.toString());
    assertThat(unknownProfile.exit()).isEqualTo(2);
    assertThat(unknownProfile.err()).contains("labels.iot.profile: no profile named 'web'");

    Path enforce = Files.writeString(dir.resolve("enforce.yaml"),
        Files.readString(cfg).replace("iot: {profile: iot}", "iot: {profile: iot, enforce_csrattrs: true}"));
    assertThat(run("check", "-config", enforce.toString()).err())
        .contains("labels.iot.enforce_csrattrs: is true but the label advertises no csrattrs");
  }
}
