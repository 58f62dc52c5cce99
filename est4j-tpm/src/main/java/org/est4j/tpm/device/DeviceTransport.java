package org.est4j.tpm.device;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A TPM character device ({@code /dev/tpmrm0}, the kernel's resource manager, or {@code
 * /dev/tpm0}): one write() of the whole command, one read() returns the whole response.
 */
final class DeviceTransport implements TpmTransport {
  /** The kernel's TPM buffer is 4096 bytes (TPM_BUFSIZE). */
  private static final int BUFFER = 4096;

  private final RandomAccessFile file;
  private final FileChannel channel;
  private final Path path;

  private DeviceTransport(RandomAccessFile file, Path path) {
    this.file = file;
    this.channel = file.getChannel();
    this.path = path;
  }

  static DeviceTransport open(Path path) throws IOException {
    try {
      return new DeviceTransport(new RandomAccessFile(path.toFile(), "rw"), path);
    } catch (IOException e) {
      throw new IOException("cannot open the TPM device " + path + ": " + e.getMessage()
          + " (is the user in the tss group?)", e);
    }
  }

  @Override
  public byte[] transmit(byte[] command) throws IOException {
    ByteBuffer out = ByteBuffer.wrap(command);
    while (out.hasRemaining()) {
      channel.write(out);
    }
    ByteBuffer in = ByteBuffer.allocate(BUFFER);
    int n = channel.read(in);
    if (n < 10) {
      throw new TpmException(path + ": short TPM response (" + n + " bytes)");
    }
    int size = in.getInt(2);
    while (in.position() < size && in.hasRemaining()) {
      if (channel.read(in) < 0) {
        break;
      }
    }
    if (in.position() != size) {
      throw new TpmException(path + ": TPM response of " + in.position() + " bytes, but its header says " + size);
    }
    byte[] r = new byte[size];
    in.flip().get(r);
    return r;
  }

  @Override
  public String describe() {
    return path.toString();
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
