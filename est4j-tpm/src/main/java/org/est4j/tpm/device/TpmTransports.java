package org.est4j.tpm.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens a transport from the seed's {@code device} setting. Like the Go TPM library's OpenTPM, a
 * path is a character device or a Unix socket speaking raw TPM commands (swtpm {@code --server
 * type=unixio}), decided by the file's type; {@code tcp://host:port} or {@code host:port} is swtpm's
 * TCP server port.
 */
public final class TpmTransports {
  private static final Pattern HOST_PORT = Pattern.compile("(?:tcp://)?(\\[[^\\]]+\\]|[^:/\\[\\]]+):(\\d{1,5})");
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;
  private static final int S_IFCHR = 0020000;

  private TpmTransports() {}

  public static TpmTransport open(String device) throws IOException {
    if (device == null || device.isEmpty()) {
      throw new IOException("no TPM device given (a path such as /dev/tpmrm0, a swtpm socket path or host:port)");
    }
    Matcher m = HOST_PORT.matcher(device);
    boolean tcpForm = m.matches();
    Path path = Path.of(device.startsWith("unix:") ? device.substring(5) : device);
    if (!device.startsWith("tcp://") && Files.exists(path)) {
      return openPath(path);
    }
    if (tcpForm) {
      String host = m.group(1);
      if (host.startsWith("[")) {
        host = host.substring(1, host.length() - 1);
      }
      int port = Integer.parseInt(m.group(2));
      if (port < 1 || port > 65535) {
        throw new IOException("TPM device " + device + ": port out of range");
      }
      return StreamTransport.tcp(host, port);
    }
    throw new NoSuchFileException(device, null, "no such TPM device or socket");
  }

  private static TpmTransport openPath(Path path) throws IOException {
    int mode;
    try {
      mode = (Integer) Files.getAttribute(path, "unix:mode");
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      // no POSIX file types here (Windows): only a device-like path can be meant
      return DeviceTransport.open(path);
    }
    switch (mode & S_IFMT) {
      case S_IFSOCK:
        return StreamTransport.unix(path);
      case S_IFCHR:
        return DeviceTransport.open(path);
      default:
        throw new IOException("TPM device " + path + " is neither a character device nor a Unix socket");
    }
  }
}
