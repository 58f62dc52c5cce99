package org.est4j.server.jetty;

import java.security.Provider;
import java.security.Security;
import java.util.Locale;
import org.conscrypt.Conscrypt;

/**
 * Chooses the JCA/JSSE provider for the whole process. Conscrypt (BoringSSL) signs P-256 about
 * twenty times faster than JDK 17's SunEC, so it goes first when its native library loads; the
 * JDK providers remain as fallback for what Conscrypt lacks (Ed25519 keys, PKIX path building).
 */
public final class CryptoProviders {
  /** What {@code crypto.provider} may say. */
  public enum Mode {
    AUTO,
    CONSCRYPT,
    JDK;

    public static Mode parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("crypto provider must be auto, conscrypt or jdk, not '" + s + "'", e);
      }
    }
  }

  private static volatile Provider installed;

  private CryptoProviders() {}

  /**
   * Installs the provider the mode asks for and returns its JSSE provider name, or null for the
   * JDK's default. {@code CONSCRYPT} fails when the native library cannot load; {@code AUTO} falls
   * back to the JDK.
   */
  public static synchronized String install(Mode mode) {
    if (mode == Mode.JDK) {
      return null;
    }
    if (installed != null) {
      return installed.getName();
    }
    boolean available;
    try {
      available = Conscrypt.isAvailable();
    } catch (LinkageError e) {
      available = false;
    }
    if (!available) {
      if (mode == Mode.CONSCRYPT) {
        throw new IllegalStateException("crypto provider conscrypt was requested but its native library does not load on this platform");
      }
      return null;
    }
    Provider p = Conscrypt.newProvider();
    Security.insertProviderAt(p, 1);
    installed = p;
    return p.getName();
  }

  /** A line for the start-up log. */
  public static String describe(String jsseProvider) {
    if (jsseProvider == null) {
      return "JDK providers (" + System.getProperty("java.vendor") + " " + System.getProperty("java.version") + ")";
    }
    Conscrypt.Version v = Conscrypt.version();
    return "Conscrypt " + v.major() + "." + v.minor() + "." + v.patch() + " (BoringSSL), JDK providers as fallback";
  }
}
