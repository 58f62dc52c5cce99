package org.est4j.server;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.est4j.protocol.EstOperation;

/**
 * Which authentication methods may perform which operation on a label. Any one allowed method
 * suffices. An operation with no method is refused (403) on that label. /simplereenroll is
 * always authenticated by the certificate being renewed (RFC 7030 §4.2.2), so its only method is
 * {@link Method#CLIENT_CERT} (or none: re-enrollment off). Immutable.
 */
public final class AuthPolicy {

  /** A way to prove who is enrolling. */
  public enum Method {
    /** HTTP Basic, checked against the configured users. */
    BASIC,
    /** A TLS client certificate from the label's CA, a configured client CA or the label's own client CAs. */
    CLIENT_CERT,
    /**
     * A one-time enrollment token ({@code estserver tokens create}): Bearer, Basic password or
     * CSR challengePassword/otpChallenge. For enroll, serverkeygen and tpmenroll, whose
     * certificate row commits with the token's consumption (not reenroll: its credential is the
     * certificate being renewed).
     */
    TOKEN;

    /** The name used in configuration files and messages. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Set<EstOperation> ENROLLING = EnumSet.of(
      EstOperation.SIMPLEENROLL, EstOperation.SIMPLEREENROLL, EstOperation.SERVERKEYGEN, EstOperation.TPMENROLL);

  /**
   * est4j's behaviour before per-operation policies: Basic or a certificate for all, reenroll by
   * certificate; tokens for enroll, serverkeygen and tpmenroll (a token works only where an
   * operator created one for the label).
   */
  public static final AuthPolicy DEFAULT = builder().build();

  private final Map<EstOperation, Set<Method>> allowed;

  private AuthPolicy(Map<EstOperation, Set<Method>> allowed) {
    this.allowed = allowed;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The methods that may perform {@code operation}; empty means the operation is refused. */
  public Set<Method> allowed(EstOperation operation) {
    return allowed.getOrDefault(operation, Set.of());
  }

  /** "[basic, client_cert]" for messages. */
  public String describe(EstOperation operation) {
    return allowed(operation).stream().sorted().map(Method::configName).toList().toString(); // stable order in messages
  }

  /** Builder starting from {@link #DEFAULT}'s methods. */
  public static final class Builder {
    private final Map<EstOperation, Set<Method>> allowed = new EnumMap<>(EstOperation.class);

    private Builder() {
      allowed.put(EstOperation.SIMPLEENROLL, EnumSet.allOf(Method.class));
      allowed.put(EstOperation.SERVERKEYGEN, EnumSet.allOf(Method.class));
      allowed.put(EstOperation.TPMENROLL, EnumSet.allOf(Method.class));
      allowed.put(EstOperation.SIMPLEREENROLL, EnumSet.of(Method.CLIENT_CERT));
    }

    /**
     * @throws IllegalArgumentException for an operation that needs no authentication, or Basic
     *     for /simplereenroll
     */
    public Builder allow(EstOperation operation, Set<Method> methods) {
      if (!ENROLLING.contains(operation)) {
        throw new IllegalArgumentException(operation.pathSegment() + " needs no authentication");
      }
      if (operation == EstOperation.SIMPLEREENROLL && methods.contains(Method.TOKEN)) {
        throw new IllegalArgumentException("an enrollment token can authorise enroll, serverkeygen and tpmenroll only"
            + " (reenroll is authenticated by the client certificate being renewed)");
      }
      if (operation == EstOperation.SIMPLEREENROLL && methods.contains(Method.BASIC)) {
        throw new IllegalArgumentException("reenroll is authenticated by the client certificate being renewed"
            + " (RFC 7030 §4.2.2): use [client_cert], or [] to turn re-enrollment off");
      }
      allowed.put(operation, methods.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(methods)));
      return this;
    }

    public AuthPolicy build() {
      Map<EstOperation, Set<Method>> copy = new EnumMap<>(EstOperation.class);
      allowed.forEach((k, v) -> copy.put(k, Set.copyOf(v)));
      return new AuthPolicy(copy);
    }
  }
}
