package org.est4j.server.jetty;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body without blocking a thread: chunks are collected as they arrive (Jetty calls
 * back when more is readable), so a slow client holds a buffer, not one of the few worker threads.
 * Reading stops one byte past the limit, so an oversized body is detected without taking all of it.
 */
final class BodyReader implements Runnable {
  private final Request request;
  private final int limit;
  private final Consumer<byte[]> done;
  private final Consumer<Throwable> failed;
  private byte[] buffer = new byte[1024];
  private int size;

  private BodyReader(Request request, int limit, Consumer<byte[]> done, Consumer<Throwable> failed) {
    this.request = request;
    this.limit = limit;
    this.done = done;
    this.failed = failed;
  }

  /** Reads up to {@code limit} bytes, then calls {@code done}; a transport failure calls {@code failed}. */
  static void read(Request request, int limit, Consumer<byte[]> done, Consumer<Throwable> failed) {
    new BodyReader(request, limit, done, failed).run();
  }

  @Override
  public void run() {
    while (true) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        request.demand(this);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        failed.accept(chunk.getFailure());
        return;
      }
      ByteBuffer data = chunk.getByteBuffer();
      int take = Math.min(data.remaining(), limit - size);
      append(data, take);
      boolean last = chunk.isLast();
      chunk.release();
      if (last || size >= limit) {
        done.accept(Arrays.copyOf(buffer, size));
        return;
      }
    }
  }

  private void append(ByteBuffer data, int take) {
    if (size + take > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.min(limit, Math.max(buffer.length * 2, size + take)));
    }
    data.get(buffer, size, take);
    size += take;
  }
}
