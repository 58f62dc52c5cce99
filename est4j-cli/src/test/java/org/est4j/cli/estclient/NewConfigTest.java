package org.est4j.cli.estclient;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The seed's TestNewConfig (cmd/estclient/config_test.go): what a configuration file and flags
 * resolve to. The anchor files only need to exist here; nothing is read from them.
 */
class NewConfigTest {
  @TempDir Path dir;
  private Path testdata;

  @BeforeEach
  void writeTestdata() throws Exception {
    testdata = Files.createDirectories(dir.resolve("testdata"));
    Files.writeString(testdata.resolve("test.cfg"), """
        {
            "server": "est.fake.domain:8443",
            "additional_path_segment": "someseg",
            "additional_headers": {
                "Certificate-Template": "my-template",
                "Bit-Size": "3072"
            },
            "host_header": "est.fake.host",
            "username": "someuser",
            "password": "somepass",
            "explicit_anchor": "test_anchor.pem",
            "implicit_anchor": "test_anchor.pem",
            "private_key": "test_key.pem"
        }
        """);
  }

  private Io io(Map<String, String> env) {
    return new Io(new ByteArrayOutputStream(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        dir, env, dir.resolve("home"), prompt -> Optional.empty());
  }

  private record Parsed(Settings settings, Clients.Resolved resolved) {}

  private Parsed parse(Io io, String... args) throws Exception {
    CommandLine cl = EstClientCommand.commandLine(io);
    CommandLine.ParseResult pr = cl.parseArgs(args);
    CaCertsCommand cmd = (CaCertsCommand) pr.subcommand().commandSpec().userObject();
    Settings s = new Settings(io, cmd.keys);
    return new Parsed(s, Clients.resolve(s, cmd.server));
  }

  @Test
  void noFlags() throws Exception {
    Parsed p = parse(io(Map.of()), "cacerts", "-config", "testdata/test.cfg");
    Clients.Resolved r = p.resolved();
    assertThat(r.server()).isEqualTo("est.fake.domain:8443");
    assertThat(r.aps()).contains("someseg");
    assertThat(r.explicit()).contains(testdata.resolve("test_anchor.pem"));
    assertThat(r.implicit()).contains(testdata.resolve("test_anchor.pem"));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Certificate-Template", "my-template");
    headers.put("Bit-Size", "3072");
    assertThat(r.headers()).containsExactlyEntriesOf(headers);
    assertThat(r.hostHeader()).contains("est.fake.host");
    assertThat(r.user()).contains("someuser");
    assertThat(r.pass()).isEqualTo("somepass");
    assertThat(p.settings().keyPath()).contains(testdata.resolve("test_key.pem"));
    assertThat(p.settings().separator).isEqualTo(",");
    assertThat(r.timeout()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void allOverrides() throws Exception {
    Parsed p = parse(io(Map.of()), "cacerts", "-config", "testdata/test.cfg", "-separator", ";",
        "-server", "est.alt.domain:9999", "-explicit", "testdata/alt_test_anchor.pem",
        "-implicit", "testdata/alt_test_anchor.pem", "-aps", "otherseg",
        "-headers", "This-Thing:stuff;That-Thing:nonsense", "-hostheader", "est.morefake.host",
        "-user", "otheruser", "-pass", "otherpass", "-timeout", "17s");
    Clients.Resolved r = p.resolved();
    assertThat(r.server()).isEqualTo("est.alt.domain:9999");
    assertThat(r.aps()).contains("otherseg");
    assertThat(r.explicit()).contains(testdata.resolve("alt_test_anchor.pem"));
    assertThat(r.implicit()).contains(testdata.resolve("alt_test_anchor.pem"));
    assertThat(r.headers()).containsExactly(Map.entry("This-Thing", "stuff"), Map.entry("That-Thing", "nonsense"));
    assertThat(r.hostHeader()).contains("est.morefake.host");
    assertThat(r.user()).contains("otheruser");
    assertThat(r.pass()).isEqualTo("otherpass");
    assertThat(p.settings().separator).isEqualTo(";");
    assertThat(r.timeout()).isEqualTo(Duration.ofSeconds(17));
  }

  @Test
  void aRelativeConfigIsFoundInTheConfigDirectoryThenTheHomeDirectory() throws Exception {
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Files.copy(testdata.resolve("test.cfg"), elsewhere.resolve("other.cfg"));
    Parsed p = parse(io(Map.of(ConfigFile.ENV_DIRECTORY, elsewhere.toString())), "cacerts", "-config", "other.cfg");
    assertThat(p.resolved().explicit()).contains(elsewhere.resolve("test_anchor.pem"));

    Path home = Files.createDirectories(dir.resolve("home"));
    Files.copy(testdata.resolve("test.cfg"), home.resolve("home.cfg"));
    Parsed h = parse(io(Map.of(ConfigFile.ENV_DIRECTORY, "relative/ignored")), "cacerts", "-config", "home.cfg");
    assertThat(h.resolved().server()).isEqualTo("est.fake.domain:8443");
    assertThat(p.settings().keyPath()).contains(elsewhere.resolve("test_key.pem"));
  }

  @Test
  void headersWithoutColonGetAnEmptyValueAndNamesAndValuesAreTrimmed() throws Exception {
    Parsed p = parse(io(Map.of()), "cacerts", "-server", "x:1", "-headers", " A : 1 ,B");
    assertThat(p.resolved().headers()).containsExactly(Map.entry("A", "1"), Map.entry("B", ""));
  }

  @Test
  void doubleDashAndEqualsSpellingsWork() throws Exception {
    Parsed p = parse(io(Map.of()), "cacerts", "--server=est.example:8443", "-timeout=0");
    assertThat(p.resolved().server()).isEqualTo("est.example:8443");
    assertThat(p.resolved().timeout()).isZero();
  }
}
