package org.est4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.est4j.client.Pkcs11KeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mock_ca.private_key on a PKCS#11 token: parsing and errors (opening is tested on SoftHSM2 in est4j-integration-tests). */
class Pkcs11ConfigTest {
  @TempDir Path dir;

  private ServerConfig parse(String privateKey) throws Exception {
    Files.writeString(dir.resolve("ca.pem"), "x");
    return ServerConfigReader.parse("mock_ca:\n  certificates: ca.pem\n  private_key: " + privateKey + "\n", dir, "test.yaml");
  }

  @Test
  void theSeedsHsmFormWithARelativeLibrary() throws Exception {
    Pkcs11KeySpec spec = parse("{hsm: {pkcs11_library_path: lib/softhsm.so, token_label: est, token_pin: \"1234\", key_id: 256}}")
        .ca().get().hsmKey().get();
    assertThat(spec.module()).isEqualTo(dir.resolve("lib/softhsm.so"));
    assertThat(spec.tokenLabel()).contains("est");
    assertThat(spec.keyId()).hasValueSatisfying(id -> assertThat(id).containsExactly(1, 0));
    assertThat(spec.hasPin()).isTrue();
  }

  @Test
  void aPkcs11Uri() throws Exception {
    ServerConfig c = parse("\"pkcs11:token=est;object=ca?module-path=/usr/lib/x.so&pin-value=1234\"");
    assertThat(c.ca().get().hsmKey().get().keyLabel()).contains("ca");
    assertThat(c.ca().get().privateKey()).isNull();
  }

  @Test
  void errorsNameTheKeyAndNeverThePin() {
    assertThatThrownBy(() -> parse("{hsm: {pkcs11_library_path: x.so, token_label: est, token_pin: \"\", key_id: 1}}"))
        .hasMessageContaining("mock_ca.private_key").hasMessageContaining("no PIN").hasMessageContaining("pin-source");
    assertThatThrownBy(() -> parse("{hsm: {pkcs11_library_path: x.so, token_label: est, token_pin: \"1\"}}"))
        .hasMessageContaining("mock_ca.private_key.hsm.key_id");
    assertThatThrownBy(() -> parse("{hsm: {pkcs11_library_path: x.so, token_label: est, token_pin: \"1\", key_id: 1, slot: 2}}"))
        .hasMessageContaining("mock_ca.private_key.hsm.slot");
    assertThatThrownBy(() -> parse("{tpm: {device: /dev/tpmrm0}}")).hasMessageContaining("mock_ca.private_key.tpm");
    assertThatThrownBy(() -> parse("\"pkcs11:id=%01?module-path=/x.so&pin-value=1\"\n  private_key_passphrase_env: X"))
        .hasMessageContaining("mock_ca.private_key_passphrase_env").hasMessageContaining("token_pin");
    assertThatThrownBy(() -> parse("\"pkcs11:token=est;id=%01?pin-value=s3cr3t\""))
        .hasMessageContaining("module-path").hasMessageNotContaining("s3cr3t");
  }

  @Test
  void onlyTheCaTakesATokenKey() throws Exception {
    Files.writeString(dir.resolve("tls.pem"), "x");
    assertThatThrownBy(() -> ServerConfigReader.parse("tls:\n  certificates: tls.pem\n  private_key: \"pkcs11:id=%01?module-path=/x.so&pin-value=1\"\n",
        dir, "test.yaml")).hasMessageContaining("tls.private_key").hasMessageContaining("supported for CA keys only");
  }

  /** cas.NAME.pkcs11 of an embedded CA made on a token: the token only; the issuing key is found by its label. */
  @Test
  void anEmbeddedCaOnATokenNamesTheTokenOnly() throws Exception {
    PkiConfig pki = ServerConfigReader.parse("ca: devices\ncas:\n  devices: {kind: embedded, pkcs11: 'pkcs11:token=ca?module-path=/usr/lib/x.so"
        + "&pin-value=1234'}\n  other: {kind: embedded, pkcs11: {hsm: {pkcs11_library_path: x.so, token_label: t,"
        + " token_pin: '1'}}}\n", dir, "test.yaml").pki();
    Pkcs11KeySpec spec = ((PkiConfig.EmbeddedCaConfig) pki.cas().get("devices")).pkcs11().orElseThrow();
    assertThat(spec.keyLabel()).contains("est4j-ca-devices-issuing");
    assertThat(spec.tokenLabel()).contains("ca");
    assertThat(((PkiConfig.EmbeddedCaConfig) pki.cas().get("other")).pkcs11().orElseThrow().keyLabel())
        .contains("est4j-ca-other-issuing");
    assertThatThrownBy(() -> ServerConfigReader.parse("cas:\n  d: {kind: embedded, pkcs11: 'pkcs11:token=ca;id=%01"
        + "?module-path=/x.so&pin-value=1'}\n", dir, "test.yaml"))
        .hasMessageStartingWith("cas.d.pkcs11: names a key (id=)").hasMessageNotContaining("pin-value");
    assertThatThrownBy(() -> ServerConfigReader.parse("cas:\n  d: {kind: embedded, passphrase_env: X, pkcs11:"
        + " 'pkcs11:token=ca?module-path=/x.so&pin-value=1'}\n", dir, "test.yaml"))
        .hasMessageStartingWith("cas.d.pkcs11: a CA whose keys are on a token has no passphrase");
    assertThatThrownBy(() -> ServerConfigReader.parse("cas:\n  d: {kind: embedded, pkcs11:"
        + " 'pkcs11:token=ca?module-path=/x.so'}\n", dir, "test.yaml"))
        .hasMessageStartingWith("cas.d.pkcs11: no PIN");
  }
}
