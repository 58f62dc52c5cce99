package org.est4j.tpm;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A swtpm TPM 2.0 simulator on free TCP ports with its state in a test's temp dir, and tpm2-tools
 * pointed at it. No resource manager sits in between, so callers flush transient objects.
 */
final class Swtpm implements AutoCloseable {
  private final Process process;
  private final Path dir;
  private final Map<String, String> env;

  private Swtpm(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.env = Map.of("TPM2TOOLS_TCTI", "swtpm:host=127.0.0.1,port=" + port);
  }

  static Swtpm start(Path dir) throws IOException, InterruptedException {
    Path swtpm = Tools.require("swtpm", "swtpm");
    Tools.require("tpm2_createek", "tpm2-tools");
    Path state = Files.createDirectories(dir.resolve("tpm-state"));
    // tpm2-tools' swtpm TCTI expects the control channel on the next port
    int port = freePortPair();
    int ctrl = port + 1;
    Process p = new ProcessBuilder(swtpm.toString(), "socket", "--tpm2",
        "--server", "type=tcp,port=" + port + ",bindaddr=127.0.0.1",
        "--ctrl", "type=tcp,port=" + ctrl + ",bindaddr=127.0.0.1",
        "--tpmstate", "dir=" + state, "--flags", "not-need-init,startup-clear")
        .redirectErrorStream(true).redirectOutput(dir.resolve("swtpm.log").toFile()).start();
    Swtpm s = new Swtpm(p, dir, port);
    for (int i = 0; i < 100; i++) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return s;
      } catch (IOException notYet) {
        if (!p.isAlive()) {
          throw new IOException("swtpm exited: " + Files.readString(dir.resolve("swtpm.log")));
        }
        Thread.sleep(50);
      }
    }
    s.close();
    throw new IOException("swtpm did not listen on port " + port);
  }

  /** Runs a tpm2-tools command against this TPM; fails the test when it fails. */
  String tpm2(String... command) throws IOException, InterruptedException {
    return Tools.check(dir, env, command);
  }

  Path dir() {
    return dir;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePortPair() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket first = new ServerSocket(0)) {
        int port = first.getLocalPort();
        if (port < 65535) {
          try (ServerSocket second = new ServerSocket(port + 1)) {
            return port;
          } catch (IOException taken) {
            // try another pair
          }
        }
      }
    }
    throw new IOException("no two adjacent free TCP ports found");
  }
}
