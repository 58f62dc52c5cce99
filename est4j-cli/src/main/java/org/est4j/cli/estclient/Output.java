package org.est4j.cli.estclient;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.bouncycastle.util.io.pem.PemObject;
import org.est4j.protocol.CertsOnly;
import org.est4j.protocol.pem.PemWriter;

/**
 * Writes results to stdout or files, as PEM or DER. Private keys go to files created with mode 0600
 * (written to a temporary file in the same directory and moved over the target, so an existing
 * key file never shows its new content with its old permissions).
 */
final class Output {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private Output() {}

  static byte[] certificates(List<X509Certificate> certs, boolean der) {
    if (!der) {
      return ascii(PemWriter.toPem(certs));
    }
    if (certs.size() == 1) {
      try {
        return certs.get(0).getEncoded();
      } catch (CertificateEncodingException e) {
        throw new IllegalArgumentException("certificate cannot be encoded", e);
      }
    }
    return CertsOnly.encode(certs);
  }

  static byte[] csr(byte[] der, boolean asDer) {
    return asDer ? der.clone() : ascii(pem("CERTIFICATE REQUEST", der));
  }

  static byte[] privateKey(PrivateKey key, boolean der) {
    return der ? key.getEncoded() : ascii(PemWriter.privateKeyToPem(key));
  }

  static String pem(String type, byte[] der) {
    StringWriter out = new StringWriter();
    try (org.bouncycastle.util.io.pem.PemWriter w = new org.bouncycastle.util.io.pem.PemWriter(out)) {
      w.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** To {@code path} (resolved against the working directory), or stdout when null or "-". */
  static void write(Io io, String path, String flag, byte[] content) throws CliException {
    if (path == null || path.equals("-")) {
      try {
        io.out().write(content);
        io.out().flush();
      } catch (IOException e) {
        throw CliException.failure("cannot write to stdout: " + e.getMessage(), e);
      }
      return;
    }
    Path file = io.resolve(path);
    try {
      Files.write(file, content);
    } catch (IOException e) {
      throw CliException.failure("cannot write " + flag + " " + file + ": " + Settings.describe(e), e);
    }
  }

  /** A secret: stdout when null or "-", otherwise a file that ends up with mode 0600. */
  static void writeSecret(Io io, String path, String flag, byte[] content) throws CliException {
    if (path == null || path.equals("-")) {
      write(io, null, flag, content);
      return;
    }
    Path file = io.resolve(path);
    Path dir = file.getParent();
    Path tmp = null;
    try {
      boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
      tmp = posix
          ? Files.createTempFile(dir, "." + file.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
          : Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
      Files.write(tmp, content);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      throw CliException.failure("cannot write " + flag + " " + file + ": " + Settings.describe(e), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the temporary file holds the key only if writing it succeeded
        }
      }
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
