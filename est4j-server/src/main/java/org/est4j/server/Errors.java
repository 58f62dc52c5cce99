package org.est4j.server;

/**
 * The catalogue of the engine's fixed rejections (the Go seed's texts, so scripts that match on
 * them keep working, with more precise messages where the seed's were vague).
 */
final class Errors {
  static final String AUTH_REQUIRED = "authorization required";
  static final String HOST_NOT_ALLOWED = "host not allowed";
  static final String NOT_FOUND = "page not found";
  static final String RATE_LIMITED = "rate limit exceeded";
  static final String CONTENT_TYPE_MISSING = "malformed or missing Content-Type header";
  static final String EMPTY_BODY = "empty request body: expected a base64-encoded PKCS#10 certificate signing request";
  static final String NO_CLIENT_CERT = "client certificate must be provided for /simplereenroll";
  static final String INVALID_CLIENT_CERT = "invalid client certificate";
  static final String SUBJECT_CHANGED =
      "Subject and SubjectAltName fields in CSR must be identical to certificate being renewed";
  static final String INTERNAL = "internal server error";

  private Errors() {}
}
