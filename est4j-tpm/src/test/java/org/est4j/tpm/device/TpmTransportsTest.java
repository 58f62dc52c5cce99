package org.est4j.tpm.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.est4j.testing.Swtpm;
import org.est4j.tpm.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every transport against a real swtpm: Unix socket (by file type), TCP (host:port and tcp://). */
class TpmTransportsTest {
  @TempDir Path dir;

  @Test
  void unixSocketChosenFromTheFileType() throws Exception {
    try (Swtpm swtpm = Tools.swtpm(dir, Swtpm.Transport.UNIX, true);
        TpmDevice tpm = TpmDevice.open(swtpm.device())) {
      assertThat(tpm.describe()).isEqualTo("unix:" + swtpm.device());
      assertThat(tpm.readPublic(0x81010001).publicArea()).startsWith(0x00, 0x01); // TPM_ALG_RSA
      tpm.startup(); // a second Startup: TPM_RC_INITIALIZE, ignored
    }
  }

  @Test
  void tcpHostPortAndUrl() throws Exception {
    try (Swtpm swtpm = Tools.swtpm(dir, Swtpm.Transport.TCP, false)) {
      try (TpmDevice tpm = TpmDevice.open("127.0.0.1:" + swtpm.port())) {
        assertThat(tpm.createPrimary(Tpm2.RH_OWNER, "", Templates.eccStorage(), "").publicArea())
            .startsWith(0x00, 0x23); // TPM_ALG_ECC
      }
      try (TpmDevice tpm = TpmDevice.open("tcp://localhost:" + swtpm.port())) {
        assertThat(tpm.describe()).isEqualTo("tcp://localhost:" + swtpm.port());
        TpmObject primary = tpm.createPrimary(Tpm2.RH_OWNER, "", Templates.rsaStorage(), "");
        assertThat(tpm.readPublic(primary.handle()).name()).isEqualTo(primary.name());
        tpm.flush(primary.handle());
        assertThatThrownBy(() -> tpm.readPublic(primary.handle()))
            .isInstanceOf(TpmException.class).hasMessageContaining("TPM_RC_REFERENCE_H0");
      }
    }
  }

  @Test
  void aBusySwtpmIsATimeoutNotAHang() throws Exception {
    try (Swtpm swtpm = Tools.swtpm(dir, Swtpm.Transport.UNIX, false);
        TpmDevice first = TpmDevice.open(swtpm.device());
        StreamTransport second = StreamTransport.unix(Path.of(swtpm.device()), 300)) {
      // swtpm leaves the second connection in its accept queue while the first is open
      byte[] startup = {(byte) 0x80, 1, 0, 0, 0, 12, 0, 0, 1, 0x44, 0, 0};
      assertThatThrownBy(() -> second.transmit(startup))
          .isInstanceOf(java.io.InterruptedIOException.class).hasMessageContaining("no answer from the TPM within 300 ms");
      assertThat(first.readPublic(first.createPrimary(Tpm2.RH_OWNER, "", Templates.eccStorage(), "").handle())).isNotNull();
    }
  }

  @Test
  void characterDeviceAndOtherFiles() throws Exception {
    Path regular = Files.writeString(dir.resolve("not-a-tpm"), "x");
    assertThatThrownBy(() -> TpmTransports.open(regular.toString()))
        .isInstanceOf(IOException.class).hasMessageContaining("neither a character device nor a Unix socket");
    assertThatThrownBy(() -> TpmTransports.open(dir.resolve("missing").toString()))
        .isInstanceOf(NoSuchFileException.class);
    // /dev/null is a character device: opened as a device, and its empty read is a clear error
    try (TpmTransport t = TpmTransports.open("/dev/null")) {
      assertThat(t).isInstanceOf(DeviceTransport.class);
      assertThatThrownBy(() -> t.transmit(new byte[] {(byte) 0x80, 1, 0, 0, 0, 12, 0, 0, 1, 0x44, 0, 0}))
          .isInstanceOf(TpmException.class).hasMessageContaining("short TPM response");
    }
  }
}
