package org.est4j.server;

/**
 * One thing a server needs before it can serve (the CA key, the store), checked by the readiness
 * endpoint. Implementations are quick and thread-safe.
 */
public interface ReadinessCheck {

  /** A short name for the probe's output, e.g. "ca" or "store". */
  String name();

  /**
   * Returns normally when ready.
   *
   * @throws Exception whose message says what is wrong (shown on the admin endpoint; no secrets)
   */
  void check() throws Exception;

  static ReadinessCheck of(String name, Check check) {
    return new ReadinessCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void check() throws Exception {
        check.run();
      }
    };
  }

  /** The check as a lambda. */
  @FunctionalInterface
  interface Check {
    void run() throws Exception;
  }
}
