package org.est4j.tpm.device;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Raw TPM commands over a stream socket: swtpm's {@code --server type=unixio,path=...} Unix
 * socket or its {@code type=tcp} port. A stream has no message boundaries, so the response is read
 * as its 10-byte header and then as many bytes as the header's size field says.
 */
final class StreamTransport implements TpmTransport {
  /** TPM responses are far smaller; a larger size field means the peer is not a TPM. */
  private static final int MAX_RESPONSE = 1 << 16;

  /**
   * How long to wait for an answer: long enough for RSA key generation on a slow TPM, short enough
   * that a swtpm busy with another client (it serves one connection at a time and leaves later
   * ones in its accept queue) ends in an error rather than a hang.
   */
  static final long TIMEOUT_MILLIS = 120_000;

  private final SocketChannel channel;
  private final Selector selector;
  private final String description;
  private final long timeoutMillis;

  private StreamTransport(SocketChannel channel, String description, long timeoutMillis) throws IOException {
    this.channel = channel;
    this.description = description;
    this.timeoutMillis = timeoutMillis;
    channel.configureBlocking(false);
    this.selector = Selector.open();
  }

  private static StreamTransport wrap(SocketChannel ch, String description, long timeoutMillis) throws IOException {
    try {
      return new StreamTransport(ch, description, timeoutMillis);
    } catch (IOException e) {
      ch.close();
      throw e;
    }
  }

  static StreamTransport unix(Path socket) throws IOException {
    return unix(socket, TIMEOUT_MILLIS);
  }

  static StreamTransport unix(Path socket, long timeoutMillis) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      ch.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      ch.close();
      throw new IOException("cannot connect to the TPM socket " + socket + ": " + e.getMessage(), e);
    }
    return wrap(ch, "unix:" + socket, timeoutMillis);
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
    return wrap(ch, "tcp://" + host + ":" + port, TIMEOUT_MILLIS);
  }

  @Override
  public byte[] transmit(byte[] command) throws IOException {
    ByteBuffer out = ByteBuffer.wrap(command);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (out.hasRemaining()) {
      if (channel.write(out) == 0) {
        await(SelectionKey.OP_WRITE, deadline);
      }
    }
    ByteBuffer header = ByteBuffer.allocate(10);
    readFully(header, deadline);
    int size = header.getInt(2);
    if (size < 10 || size > MAX_RESPONSE) {
      throw new TpmException(description + ": invalid TPM response size " + size + " (not a TPM?)");
    }
    ByteBuffer response = ByteBuffer.allocate(size);
    response.put(header.flip());
    readFully(response, deadline);
    return response.array();
  }

  private void readFully(ByteBuffer b, long deadline) throws IOException {
    while (b.hasRemaining()) {
      int n = channel.read(b);
      if (n < 0) {
        throw new IOException(description + ": the TPM closed the connection in the middle of a response");
      }
      if (n == 0) {
        await(SelectionKey.OP_READ, deadline);
      }
    }
  }

  private void await(int op, long deadline) throws IOException {
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (left <= 0) {
      throw timeout();
    }
    SelectionKey key = channel.register(selector, op);
    try {
      if (selector.select(left) == 0 && System.nanoTime() - deadline >= 0) {
        throw timeout();
      }
    } finally {
      key.interestOps(0);
      selector.selectedKeys().clear();
    }
  }

  private java.io.InterruptedIOException timeout() {
    return new java.io.InterruptedIOException(description + ": no answer from the TPM within " + timeoutMillis
        + " ms (is another program using it? swtpm serves one connection at a time)");
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() throws IOException {
    try {
      selector.close();
    } finally {
      channel.close();
    }
  }
}
