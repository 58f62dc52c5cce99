package org.est4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.est4j.server.store.CertificateRecord;
import org.est4j.server.store.CertificateStatus;
import org.est4j.server.store.CertificateStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** estserver certs against the H2 database a configuration file names by default. */
class CertsCommandTest {
  @TempDir Path dir;
  Path config;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cl = EstServerCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static CertificateRecord row(String serial, String label, String cn, Instant notAfter) {
    return new CertificateRecord(serial, "default", Optional.ofNullable(label), "CN=" + cn, List.of("DNS:" + cn),
        "cd".repeat(32), notAfter.minus(90, ChronoUnit.DAYS), notAfter, CertificateStatus.ISSUED, "user:bob",
        "rid-" + serial, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", Instant.now(),
        Optional.empty(), Optional.empty());
  }

  @BeforeEach
  void fill() throws Exception {
    config = Files.writeString(dir.resolve("estserver.yaml"), "rate_limit: 0\n");
    Instant now = Instant.now();
    try (CertificateStore store = StoreAssembly.open(ServerConfigReader.read(config).store())) {
      store.recordIssued(row("a1", null, "web-1", now.plus(10, ChronoUnit.DAYS)));
      store.recordIssued(row("b2", "iot", "sensor-1", now.plus(80, ChronoUnit.DAYS)));
      store.recordIssued(row("c3", "iot", "sensor-2", now.minus(1, ChronoUnit.DAYS)));
    }
    assertThat(dir.resolve("est4j-data").resolve("est4j.mv.db")).exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("est4j-data")))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("est4j-data").resolve("h2.password"))))
        .isEqualTo("rw-------");
  }

  @Test
  void listFilters() {
    Run all = run("certs", "list", "-config", config.toString());
    assertThat(all.exit()).as(all.err()).isZero();
    assertThat(all.out().lines().skip(1).map(l -> l.split("\\s+")[0])).containsExactly("c3", "b2", "a1");
    assertThat(serials("--label", "iot")).containsExactly("c3", "b2");
    assertThat(serials("--subject", "SENSOR-1")).containsExactly("b2");
    assertThat(serials("--status", "expired")).containsExactly("c3");
    assertThat(serials("--expiring-within", "30d")).containsExactly("a1");
    assertThat(serials("-expiring-within", "12w")).containsExactly("b2", "a1");
    assertThat(serials("--ca", "default", "--label", "iot")).containsExactly("c3", "b2");
    assertThat(serials("--ca", "corp")).isEmpty();
  }

  @Test
  void showPrintsTheRecordAndThePem() {
    Run r = run("certs", "show", "00:B2", "-config", config.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("serial:            b2", "label:             iot", "requester:         user:bob",
        "request_id:        rid-b2", "status:            issued", "-----BEGIN CERTIFICATE-----");
    Run missing = run("certs", "show", "ff", "-config", config.toString());
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("no certificate with serial ff");
  }

  @Test
  void revokeMarksTheRowOnce() {
    Run r = run("certs", "revoke", "a1", "--reason", "superseded", "-config", config.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("revoked a1 (CA default, reason superseded)");
    assertThat(run("certs", "revoke", "a1", "-config", config.toString()).out()).contains("already revoked: a1");
    assertThat(serials("--status", "revoked")).containsExactly("a1");
    assertThat(run("certs", "show", "a1", "-config", config.toString()).out())
        .contains("status:            revoked", "revocation_reason: superseded");
    Run bad = run("certs", "revoke", "b2", "--reason", "lost it", "-config", config.toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("--reason: 'lost it' is not one of");
    assertThat(run("certs", "revoke", "99", "-config", config.toString()).exit()).isEqualTo(1);
  }

  @Test
  void aMemoryStoreOrNoConfigIsRefusedWithAReason() throws Exception {
    Path memory = Files.writeString(dir.resolve("m.yaml"), "store: memory\n");
    Run r = run("certs", "list", "-config", memory.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("is 'memory'");
    Run none = run("certs", "list");
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).contains("Missing required option").contains("config=FILE");
  }

  private List<String> serials(String... filter) {
    String[] args = new String[filter.length + 4];
    args[0] = "certs";
    args[1] = "list";
    args[2] = "-config";
    args[3] = config.toString();
    System.arraycopy(filter, 0, args, 4, filter.length);
    Run r = run(args);
    assertThat(r.exit()).as(r.err()).isZero();
    return r.out().lines().skip(1).map(l -> l.split("\\s+")[0]).toList();
  }
}
