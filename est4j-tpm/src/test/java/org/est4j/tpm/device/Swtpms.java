package org.est4j.tpm.device;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.est4j.testing.Swtpm;
import org.junit.jupiter.api.Assumptions;

/** Starts swtpm for a test: skipped when swtpm is not installed, failed instead under CI. */
final class Swtpms {
  private Swtpms() {}

  static Swtpm start(Path dir, Swtpm.Transport transport, boolean provision) throws IOException, InterruptedException {
    Optional<String> missing = Swtpm.unavailable(provision);
    if (missing.isPresent()) {
      if (System.getenv("CI") != null) {
        fail(missing.get() + "; CI is set, so a missing swtpm is a failure, not a skip");
      }
      Assumptions.abort(missing.get());
    }
    return Swtpm.start(dir, transport, provision);
  }
}
