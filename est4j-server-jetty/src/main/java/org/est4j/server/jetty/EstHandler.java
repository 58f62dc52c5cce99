package org.est4j.server.jetty;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.est4j.protocol.ErrorBody;
import org.est4j.server.EstRequest;
import org.est4j.server.EstResponse;
import org.est4j.server.EstServerEngine;

/**
 * Adapts Jetty's core request to the engine: reads the body without blocking, up to one byte past
 * the engine's limit (so an oversized body is detected without reading all of it), passes the TLS
 * peer chain, and writes the engine's answer. Plain HTTP that reached the TLS port gets a 400.
 */
final class EstHandler extends Handler.Abstract {
  private static final byte[] PLAIN_HTTP =
      ErrorBody.of(400, "this port speaks HTTPS only: use https://");

  private final EstServerEngine engine;
  private final int readLimit;

  EstHandler(EstServerEngine engine) {
    this.engine = engine;
    this.readLimit = engine.settings().maxBodyBytes() + 1;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws IOException {
    if (!request.isSecure()) {
      response.setStatus(400);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, ErrorBody.CONTENT_TYPE);
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
      response.write(true, ByteBuffer.wrap(PLAIN_HTTP), callback);
      return true;
    }
    if (hasBody(request)) {
      BodyReader.read(request, readLimit, body -> process(request, response, callback, body), callback::failed);
    } else {
      process(request, response, callback, new byte[0]);
    }
    return true;
  }

  /** A Content-Length above zero, or chunked (length unknown, -1). */
  private static boolean hasBody(Request request) {
    return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
  }

  private void process(Request request, Response response, Callback callback, byte[] body) {
    try {
      HttpFields headers = request.getHeaders();
      EstRequest estRequest =
          new EstRequest(
              request.getMethod(),
              request.getHttpURI().getPath(),
              headers::get,
              body,
              peerCertificates(request),
              true,
              clientAddress(request));
      write(request, response, engine.handle(estRequest), callback);
    } catch (RuntimeException e) {
      callback.failed(e); // Jetty answers 500; the engine itself never throws
    }
  }

  private static List<X509Certificate> peerCertificates(Request request) {
    Object data = request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
    if (data instanceof EndPoint.SslSessionData ssl) {
      X509Certificate[] peers = ssl.peerCertificates();
      if (peers != null) {
        return List.of(peers);
      }
    }
    return List.of();
  }

  private static InetAddress clientAddress(Request request) {
    SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
    if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress();
    }
    return InetAddress.getLoopbackAddress();
  }

  private static void write(Request request, Response response, EstResponse answer, Callback callback) {
    response.setStatus(answer.status());
    HttpFields.Mutable out = response.getHeaders();
    for (Map.Entry<String, String> h : answer.headers()) {
      out.add(h.getKey(), h.getValue());
    }
    byte[] body = answer.body();
    if (answer.status() == 204 || answer.status() == 304) {
      callback.succeeded();
      return;
    }
    out.put(HttpHeader.CONTENT_LENGTH, body.length);
    if (answer.status() >= 400 && request.getLength() > 0) {
      out.put(HttpHeader.CONNECTION, "close"); // a rejected body may be only partly read
    }
    if ("HEAD".equals(request.getMethod())) {
      response.write(true, null, callback);
      return;
    }
    response.write(true, ByteBuffer.wrap(body), callback);
  }

}
