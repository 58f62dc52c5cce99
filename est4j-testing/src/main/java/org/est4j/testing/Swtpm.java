package org.est4j.testing;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A software TPM 2.0 ({@code swtpm socket --tpm2}, Debian package swtpm) with its state in a
 * directory the test owns, on a Unix socket ({@code --server type=unixio}) or a TCP port (data port
 * P, control port P+1: the layout tpm2-tools' {@code swtpm:} TCTI expects). Optionally provisioned
 * first by {@code swtpm_setup --tpm2 --create-ek-cert --create-platform-cert} (package swtpm-tools)
 * with its configuration and local CA also in that directory, never in /etc or /var/lib: the TPM
 * then has an RSA EK at 0x81010001 with its certificate in NV 0x01C00002 and an ECC (P-384 with
 * swtpm 0.7) EK at 0x81010016 with its certificate in NV 0x01C00016.
 *
 * <pre>{@code
 * try (Swtpm tpm = Swtpm.start(tempDir, Swtpm.Transport.UNIX, true)) {
 *   String device = tpm.device(); // the socket path: estclient's private_key.tpm.device
 * }
 * }</pre>
 */
public final class Swtpm implements Closeable {
  public enum Transport { UNIX, TCP }

  private final Process process;
  private final Path dir;
  private final Path socket;
  private final int port;

  private Swtpm(Process process, Path dir, Path socket, int port) {
    this.process = process;
    this.dir = dir;
    this.socket = socket;
    this.port = port;
  }

  /** Why swtpm cannot run here (a tool missing from PATH), or empty when it can. */
  public static Optional<String> unavailable(boolean provision) {
    List<String> tools = provision ? List.of("swtpm", "swtpm_setup", "swtpm_localca") : List.of("swtpm");
    for (String tool : tools) {
      if (which(tool).isEmpty()) {
        return Optional.of("'" + tool + "' is not on PATH: install the Debian packages swtpm swtpm-tools");
      }
    }
    return Optional.empty();
  }

  /** Starts swtpm with its state under {@code dir} (created), provisioned with EKs and EK certificates if asked. */
  public static Swtpm start(Path dir, Transport transport, boolean provision) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path state = Files.createDirectories(dir.resolve("state"));
    if (provision) {
      provision(dir, state);
    }
    List<String> cmd = new ArrayList<>(List.of("swtpm", "socket", "--tpm2", "--tpmstate", "dir=" + state,
        "--flags", "not-need-init,startup-clear", "--log", "file=" + dir.resolve("swtpm.log") + ",level=1"));
    Path sock = null;
    int port = 0;
    if (transport == Transport.UNIX) {
      sock = dir.resolve("tpm.sock");
      cmd.addAll(List.of("--server", "type=unixio,path=" + sock, "--ctrl", "type=unixio,path=" + dir.resolve("ctrl.sock")));
    } else {
      port = freePortPair();
      cmd.addAll(List.of("--server", "type=tcp,port=" + port + ",bindaddr=127.0.0.1",
          "--ctrl", "type=tcp,port=" + (port + 1) + ",bindaddr=127.0.0.1"));
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("swtpm.out").toFile()).start();
    Swtpm swtpm = new Swtpm(p, dir, sock, port);
    swtpm.awaitReady();
    return swtpm;
  }

  /** The seed's {@code device} value: the socket path, or 127.0.0.1:port. */
  public String device() {
    return socket != null ? socket.toString() : "127.0.0.1:" + port;
  }

  public Optional<Path> socket() {
    return Optional.ofNullable(socket);
  }

  /** The TCP data port (TCP transport only; 0 otherwise). */
  public int port() {
    return port;
  }

  /** tpm2-tools' TCTI string (TCP transport only). */
  public String tcti() {
    if (port == 0) {
      throw new IllegalStateException("tpm2-tools' swtpm TCTI needs the TCP transport");
    }
    return "swtpm:host=127.0.0.1,port=" + port;
  }

  /** The EK certificates swtpm_setup wrote (ek-rsa2048.crt, ek-secp384r1.crt...), when provisioned. */
  public Path ekCertificateDir() {
    return dir.resolve("ekcerts");
  }

  public Path dir() {
    return dir;
  }

  private static void provision(Path dir, Path state) throws IOException, InterruptedException {
    Path ca = Files.createDirectories(dir.resolve("localca"));
    Path certs = Files.createDirectories(dir.resolve("ekcerts"));
    Path localConf = dir.resolve("swtpm-localca.conf");
    Files.writeString(localConf, "statedir = " + ca + "\nsigningkey = " + ca.resolve("signkey.pem")
        + "\nissuercert = " + ca.resolve("issuercert.pem") + "\ncertserial = " + ca.resolve("certserial") + "\n");
    Path options = dir.resolve("swtpm-localca.options");
    Files.writeString(options, "--platform-manufacturer est4j\n--platform-version 2.1\n--platform-model swtpm\n");
    Path setupConf = dir.resolve("swtpm_setup.conf");
    Files.writeString(setupConf, "create_certs_tool = " + which("swtpm_localca").orElse(Path.of("swtpm_localca"))
        + "\ncreate_certs_tool_config = " + localConf + "\ncreate_certs_tool_options = " + options
        + "\nactive_pcr_banks = sha256\n");
    ProcessBuilder pb = new ProcessBuilder("swtpm_setup", "--tpm2", "--tpmstate", state.toString(),
        "--create-ek-cert", "--create-platform-cert", "--config", setupConf.toString(),
        "--write-ek-cert-files", certs.toString(), "--overwrite")
        .redirectErrorStream(true).redirectOutput(dir.resolve("swtpm_setup.out").toFile());
    // swtpm_setup and swtpm_localca look for configuration under XDG_CONFIG_HOME/HOME: keep them here
    pb.environment().put("XDG_CONFIG_HOME", dir.toString());
    pb.environment().put("HOME", dir.toString());
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("swtpm_setup timed out; see " + dir.resolve("swtpm_setup.out"));
    }
    if (p.exitValue() != 0) {
      throw new IOException("swtpm_setup failed (exit " + p.exitValue() + "): "
          + Files.readString(dir.resolve("swtpm_setup.out"), StandardCharsets.UTF_8));
    }
  }

  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("swtpm exited (" + process.exitValue() + "): " + output());
      }
      if (socket != null ? Files.exists(socket) : canConnect(port + 1)) {
        return;
      }
      Thread.sleep(20);
    }
    close();
    throw new IOException("swtpm did not start within 20 s: " + output());
  }

  private String output() throws IOException {
    Path out = dir.resolve("swtpm.out");
    return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
  }

  private static boolean canConnect(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Two consecutive free ports (swtpm cannot listen on port 0 and report the port). */
  private static int freePortPair() throws IOException {
    for (int i = 0; i < 50; i++) {
      int p;
      try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        p = s.getLocalPort();
      }
      if (p < 65535) {
        try (ServerSocket s = new ServerSocket(p + 1, 1, java.net.InetAddress.getLoopbackAddress())) {
          return p;
        } catch (IOException e) {
          // taken: try another pair
        }
      }
    }
    throw new IOException("no two consecutive free TCP ports found for swtpm");
  }

  private static Optional<Path> which(String tool) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String d : path.split(File.pathSeparator)) {
      Path candidate = Path.of(d.isEmpty() ? "." : d, tool);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Stops swtpm (SIGTERM, then SIGKILL after 5 s). */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
