package org.est4j.tpm.device;

import java.io.Closeable;
import java.io.IOException;

/** Carries one TPM command to a TPM and its response back. Not thread-safe: callers serialise. */
public interface TpmTransport extends Closeable {

  /** Sends a complete command buffer and returns the complete response buffer. */
  byte[] transmit(byte[] command) throws IOException;

  /** What this transport talks to, for messages ("/dev/tpmrm0", "unix:/tmp/swtpm.sock"). */
  String describe();
}
