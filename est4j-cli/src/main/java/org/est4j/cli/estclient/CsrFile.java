package org.est4j.cli.estclient;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.est4j.protocol.Csr;
import org.est4j.protocol.EstProtocolException;

/** Reads {@code -csr}: PEM {@code CERTIFICATE REQUEST} / {@code NEW CERTIFICATE REQUEST}, or DER. */
final class CsrFile {
  private CsrFile() {}

  static byte[] read(Io io, String flagValue) throws CliException {
    Path file = io.resolve(flagValue);
    byte[] raw;
    try {
      raw = Files.readAllBytes(file);
    } catch (IOException e) {
      throw CliException.failure("cannot read -csr " + file + ": " + Settings.describe(e), e);
    }
    byte[] der = raw;
    if (raw.length > 0 && raw[0] != 0x30) {
      String text = new String(raw, StandardCharsets.US_ASCII);
      der = null;
      try (PemReader r = new PemReader(new StringReader(text))) {
        for (PemObject o = r.readPemObject(); o != null; o = r.readPemObject()) {
          if (o.getType().equals("CERTIFICATE REQUEST") || o.getType().equals("NEW CERTIFICATE REQUEST")) {
            der = o.getContent();
            break;
          }
        }
      } catch (IOException | RuntimeException e) {
        throw CliException.failure("cannot read -csr " + file + ": malformed PEM: " + e.getMessage(), e);
      }
      if (der == null) {
        throw CliException.failure("cannot read -csr " + file + ": no PEM CERTIFICATE REQUEST block found", null);
      }
    }
    try {
      Csr.decode(der).verify();
    } catch (EstProtocolException e) {
      throw CliException.failure("-csr " + file + " is not a valid PKCS#10 CSR: " + e.getMessage(), e);
    }
    return der;
  }
}
