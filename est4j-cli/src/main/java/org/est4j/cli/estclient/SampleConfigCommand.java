package org.est4j.cli.estclient;

import java.io.IOException;
import java.io.InputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sampleconfig}: the Go estclient's sample configuration files, byte for byte. */
@Command(name = "sampleconfig", sortOptions = false, description = "output a sample configuration file")
final class SampleConfigCommand extends BaseCommand {
  @Option(names = {"-hsm", "--hsm"}, description = "a sample with a private key in a hardware security module")
  boolean hsm;

  @Option(names = {"-tpm", "--tpm"}, description = "a sample with a private key in a TPM 2.0 device")
  boolean tpm;

  @Option(names = {"-out", "--out"}, paramLabel = "<path>", description = "output file (default stdout)")
  String out;

  @Override
  void run() throws Exception {
    String name = hsm ? "sample-hsm.json" : tpm ? "sample-tpm.json" : "sample.json";
    Output.write(io(), out, "-out", resource(name));
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = SampleConfigCommand.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing resource " + name);
      }
      return in.readAllBytes();
    }
  }
}
