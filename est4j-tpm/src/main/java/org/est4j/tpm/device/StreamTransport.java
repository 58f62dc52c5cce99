package org.est4j.tpm.device;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Raw TPM commands over a stream socket: swtpm's {@code --server type=unixio,path=...} Unix
 * socket or its {@code type=tcp} port. A stream has no message boundaries, so the response is read
 * as its 10-byte header and then as many bytes as the header's size field says.
 */
final class StreamTransport implements TpmTransport {
  /** TPM responses are far smaller; a larger size field means the peer is not a TPM. */
  private static final int MAX_RESPONSE = 1 << 16;

  private final SocketChannel channel;
  private final String description;

  private StreamTransport(SocketChannel channel, String description) {
    this.channel = channel;
    this.description = description;
  }

  static StreamTransport unix(Path socket) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      ch.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      ch.close();
      throw new IOException("cannot connect to the TPM socket " + socket + ": " + e.getMessage(), e);
    }
    return new StreamTransport(ch, "unix:" + socket);
  }

  static StreamTransport tcp(String host, int port) throws IOException {
    SocketChannel ch = SocketChannel.open();
    try {
      ch.socket().connect(new InetSocketAddress(host, port), 10_000);
      ch.socket().setTcpNoDelay(true);
    } catch (IOException e) {
      ch.close();
      throw new IOException("cannot connect to the TPM at " + host + ":" + port + ": " + e.getMessage(), e);
    }
    return new StreamTransport(ch, "tcp://" + host + ":" + port);
  }

  @Override
  public byte[] transmit(byte[] command) throws IOException {
    ByteBuffer out = ByteBuffer.wrap(command);
    while (out.hasRemaining()) {
      channel.write(out);
    }
    ByteBuffer header = ByteBuffer.allocate(10);
    readFully(header);
    int size = header.getInt(2);
    if (size < 10 || size > MAX_RESPONSE) {
      throw new TpmException(description + ": invalid TPM response size " + size + " (not a TPM?)");
    }
    ByteBuffer response = ByteBuffer.allocate(size);
    response.put(header.flip());
    readFully(response);
    return response.array();
  }

  private void readFully(ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      if (channel.read(b) < 0) {
        throw new IOException(description + ": the TPM closed the connection in the middle of a response");
      }
    }
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
