package org.est4j.server;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request as the EST engine sees it, independent of the HTTP server that received it.
 *
 * @param method the HTTP method, upper case
 * @param path the raw (still percent-encoded) request path, without the query
 * @param headers case-insensitive header lookup
 * @param body the request body, already bounded by the binding to the engine's size limit
 * @param peerCertificates the TLS client's chain as it sent it, leaf first; empty if none
 * @param secure whether the request arrived over TLS
 * @param clientAddress the TCP peer address
 */
public record EstRequest(
    String method,
    String path,
    Headers headers,
    byte[] body,
    List<X509Certificate> peerCertificates,
    boolean secure,
    InetAddress clientAddress) {

  /** Case-insensitive access to request headers. */
  @FunctionalInterface
  public interface Headers {
    /** The first value of the header, or null when absent. */
    String get(String name);

    default Optional<String> find(String name) {
      return Optional.ofNullable(get(name));
    }
  }

  public EstRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    peerCertificates = List.copyOf(peerCertificates);
    Objects.requireNonNull(clientAddress, "clientAddress");
  }

  /** The TLS client's leaf certificate, if it sent one. */
  public Optional<X509Certificate> clientCertificate() {
    return peerCertificates.isEmpty() ? Optional.empty() : Optional.of(peerCertificates.get(0));
  }
}
