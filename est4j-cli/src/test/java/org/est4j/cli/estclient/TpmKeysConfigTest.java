package org.est4j.cli.estclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.est4j.tpm.device.TpmKeyConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code private_key.tpm} read into a TpmKeyConfig: the seed's sample TPM configuration and its errors. */
class TpmKeysConfigTest {
  @TempDir Path dir;
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private TpmKeyConfig read(String tpm) throws Exception {
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Path file = Files.writeString(conf.resolve("tpm.cfg"), "{\"private_key\": {\"tpm\": {" + tpm + "}}}");
    Io io = new Io(new ByteArrayOutputStream(), new PrintStream(err, true, StandardCharsets.UTF_8), dir, Map.of(),
        dir.resolve("home"), prompt -> Optional.empty());
    return TpmKeys.config(ConfigFile.read(file, io).hardwareKey().orElseThrow(), io);
  }

  @Test
  void theSeedsSampleConfiguration() throws Exception {
    TpmKeyConfig c = read("""
        "device": "/dev/tpmrm0",
        "persistent_handle": 2164391936,
        "storage_handle": 2164260865,
        "ek_handle": 2164326401,
        "key_password": "xyzzy",
        "storage_password": "opensesame",
        "ek_password": "abracadabra",
        "ek_certs": "/path/to/ek/certs/chain.pem",
        "public_area": "signing_key.pub",
        "private_area": "signing_key.priv",
        "typo_key": 1
        """);
    assertThat(c.device()).isEqualTo("/dev/tpmrm0");
    assertThat(c.persistentHandle().getAsInt()).isEqualTo(0x81020000);
    assertThat(c.storageHandle().getAsInt()).isEqualTo(0x81000001);
    assertThat(c.ekHandle().getAsInt()).isEqualTo(0x81010001);
    assertThat(c.keyPassword()).isEqualTo("xyzzy");
    assertThat(c.storagePassword()).isEqualTo("opensesame");
    assertThat(c.ekPassword()).isEqualTo("abracadabra");
    assertThat(c.ekCerts()).contains(Path.of("/path/to/ek/certs/chain.pem"));
    // relative to the configuration file's directory, not the working directory (seed bug B17)
    assertThat(c.publicArea()).contains(dir.resolve("conf/signing_key.pub"));
    assertThat(c.privateArea()).contains(dir.resolve("conf/signing_key.priv"));
    assertThat(c.toString()).doesNotContain("xyzzy", "opensesame", "abracadabra");
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown key \"typo_key\" ignored");
  }

  @Test
  void handlesMustBeUint32Integers() {
    assertThatThrownBy(() -> read("\"persistent_handle\": 4294967296"))
        .hasMessageContaining("persistent_handle: invalid handle value 4294967296");
    assertThatThrownBy(() -> read("\"storage_handle\": -1")).hasMessageContaining("invalid handle value");
    assertThatThrownBy(() -> read("\"ek_handle\": \"0x81010001\"")).hasMessageContaining("invalid handle value");
    assertThatThrownBy(() -> read("\"device\": 5")).hasMessageContaining("device must be a string");
  }

  @Test
  void theLargestHandleAndAbsentOnes() throws Exception {
    TpmKeyConfig c = read("\"persistent_handle\": 4294967295");
    assertThat(c.persistentHandle().getAsInt()).isEqualTo(-1); // 0xFFFFFFFF as an unsigned int
    assertThat(c.storageHandle()).isEmpty();
    assertThat(c.device()).isEmpty();
  }
}
