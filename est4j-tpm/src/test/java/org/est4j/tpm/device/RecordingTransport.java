package org.est4j.tpm.device;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A transport that keeps a copy of every command it passes on, for tests that inspect the wire. */
final class RecordingTransport implements TpmTransport {
  final List<byte[]> sent = new ArrayList<>();
  private final TpmTransport inner;

  RecordingTransport(TpmTransport inner) {
    this.inner = inner;
  }

  @Override
  public byte[] transmit(byte[] command) throws IOException {
    sent.add(command.clone());
    return inner.transmit(command);
  }

  @Override
  public String describe() {
    return inner.describe();
  }

  @Override
  public void close() throws IOException {
    inner.close();
  }
}
