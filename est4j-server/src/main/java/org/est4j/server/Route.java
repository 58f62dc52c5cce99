package org.est4j.server;

import java.util.Optional;
import org.est4j.protocol.EstOperation;
import org.est4j.protocol.EstProtocolException;
import org.est4j.protocol.Labels;

/**
 * Where a request path leads: an EST operation under {@code /.well-known/est[/<label>]/}, or the
 * health check. Anything else is a 404; a malformed label is a 400.
 */
record Route(Optional<String> label, EstOperation operation, boolean healthcheck) {
  static final String PREFIX = "/.well-known/est/";
  static final String HEALTHCHECK = "/healthcheck";

  static Route healthcheckRoute() {
    return new Route(Optional.empty(), null, true);
  }

  /**
   * @param exempt labels accepted although an operation has their name: only the Go seed's
   *     {@code csrattrs} test label, which its clients' test suites use
   */
  static Route parse(String path, java.util.Set<String> exempt) throws EstError {
    if (path.equals(HEALTHCHECK)) {
      return healthcheckRoute();
    }
    if (!path.startsWith(PREFIX)) {
      throw EstError.of(404, Errors.NOT_FOUND);
    }
    String rest = path.substring(PREFIX.length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      return new Route(Optional.empty(), operation(rest), false);
    }
    String label = rest.substring(0, slash);
    String op = rest.substring(slash + 1);
    if (op.indexOf('/') >= 0) {
      throw EstError.of(404, Errors.NOT_FOUND);
    }
    EstOperation operation = operation(op); // an unknown operation is a 404 before the label is judged
    try {
      if (!exempt.contains(label)) {
        Labels.check(label);
      }
    } catch (EstProtocolException e) {
      throw EstError.of(400, e.getMessage());
    }
    return new Route(Optional.of(label), operation, false);
  }

  private static EstOperation operation(String segment) throws EstError {
    EstOperation op = EstOperation.fromPathSegment(segment).orElseThrow(() -> EstError.of(404, Errors.NOT_FOUND));
    if (op == EstOperation.FULLCMC) {
      throw EstError.of(404, "/" + segment + " is not supported by this server");
    }
    return op;
  }

  String allowedMethods() {
    return healthcheck || !operation.isPost() ? "GET, HEAD" : "POST";
  }

  boolean permits(String method) {
    if (healthcheck || !operation.isPost()) {
      return method.equals("GET") || method.equals("HEAD");
    }
    return method.equals("POST");
  }

  String logLabel() {
    return label.orElse("-");
  }

  String logOperation() {
    return healthcheck ? "healthcheck" : operation.pathSegment();
  }
}
