package org.est4j.protocol;

import java.util.Optional;

/**
 * The operations of RFC 7030 §3.2.2 (and the TPM enrollment extension), each the last path
 * segment under {@code /.well-known/est/[label/]}.
 */
public enum EstOperation {
  CACERTS("cacerts"),
  CSRATTRS("csrattrs"),
  SIMPLEENROLL("simpleenroll"),
  SIMPLEREENROLL("simplereenroll"),
  SERVERKEYGEN("serverkeygen"),
  FULLCMC("fullcmc"),
  TPMENROLL("tpmenroll");

  private final String pathSegment;

  EstOperation(String pathSegment) {
    this.pathSegment = pathSegment;
  }

  public String pathSegment() {
    return pathSegment;
  }

  /** Whether the operation is invoked with POST; cacerts and csrattrs use GET. */
  public boolean isPost() {
    return this != CACERTS && this != CSRATTRS;
  }

  /**
   * The operation for a path segment. Matching is exact and case-sensitive: RFC 3986 path
   * segments are case-sensitive, and RFC 7030 defines only the lower-case names.
   */
  public static Optional<EstOperation> fromPathSegment(String segment) {
    for (EstOperation operation : values()) {
      if (operation.pathSegment.equals(segment)) {
        return Optional.of(operation);
      }
    }
    return Optional.empty();
  }
}
