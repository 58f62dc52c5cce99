package org.est4j.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.est4j.cli.EmbeddedEstServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS side as openssl s_client sees it: protocol floor and key-share behaviour. */
class OpensslTlsInteropTest {
  private static final Pattern SERVER_HELLO = Pattern.compile("<<< TLS 1\\.3, Handshake \\[length [0-9a-f]+\\], ServerHello");

  @TempDir Path dir;
  private Cmd cmd;
  private String openssl;
  private EmbeddedEstServer server;

  @BeforeEach
  void setUp() throws Exception {
    openssl = ExternalTools.openssl().toString();
    cmd = Cmd.in(dir);
    server = Interop.zeroConfigServer();
    Interop.writePem(dir.resolve("root.pem"), server.root());
  }

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private Cmd.Result sClient(String... options) {
    String[] base = {openssl, "s_client", "-connect", "127.0.0.1:" + server.port(), "-servername", "localhost",
        "-CAfile", "root.pem", "-verify_return_error"};
    return cmd.run(Cmd.concat(base, options));
  }

  @Test
  void tls11IsRefusedByTheServer() {
    // SECLEVEL=0 so that the client really offers TLS 1.1; the refusal must come from the server.
    Cmd.Result result = sClient("-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
    assertThat(result.exitCode()).as(result.describe()).isNotZero();
    assertThat(result.allOutput()).as(result.describe()).contains("alert protocol version");
  }

  @Test
  void tls12Succeeds() {
    Cmd.Result result = sClient("-tls1_2");
    assertThat(result.exitCode()).as(result.describe()).isZero();
    assertThat(result.stdout()).contains("New, TLSv1.2, Cipher is ECDHE-").contains("Verify return code: 0 (ok)");
  }

  @Test
  void tls13Succeeds() {
    Cmd.Result result = sClient("-tls1_3");
    assertThat(result.exitCode()).as(result.describe()).isZero();
    assertThat(result.stdout()).contains("New, TLSv1.3, Cipher is TLS_").contains("Verify return code: 0 (ok)");
  }

  /** openssl's default key share is X25519; the server must accept it without HelloRetryRequest. */
  @Test
  void defaultHandshakeNeedsNoHelloRetryRequest() {
    Cmd.Result result = sClient("-msg");
    assertThat(result.exitCode()).as(result.describe()).isZero();
    assertThat(serverHellos(result.stdout())).as("ServerHello messages (2 = HelloRetryRequest)").isEqualTo(1);
    assertThat(result.stdout()).contains("Server Temp Key: X25519");
  }

  /** The detector above can see an HRR: offer a key share only for X448, which the server lacks. */
  @Test
  void helloRetryRequestIsVisibleToTheDetector() {
    Cmd.Result result = sClient("-msg", "-groups", "X448:X25519");
    assertThat(result.exitCode()).as(result.describe()).isZero();
    assertThat(serverHellos(result.stdout())).isEqualTo(2);
  }

  private static int serverHellos(String msgOutput) {
    Matcher m = SERVER_HELLO.matcher(msgOutput);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
