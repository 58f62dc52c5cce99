package org.est4j.server.jetty;

import java.security.Provider;
import java.util.Locale;
import org.conscrypt.Conscrypt;
import org.est4j.protocol.Jca;

/**
 * Chooses est4j's preferred JCA/JSSE provider. Conscrypt (BoringSSL) signs P-256 about twenty
 * times faster than JDK 17's SunEC, so est4j prefers it when its native library loads ({@link
 * Jca#prefer}); the JDK providers serve what Conscrypt lacks. It is not registered with {@code
 * java.security.Security}: that would change every other library's choices in the JVM (and
 * breaks SunJSSE).
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
   * Prefers the provider the mode asks for and returns it for JSSE, or null for the JDK's
   * default. {@code CONSCRYPT} fails when the native library cannot load; {@code AUTO} falls back
   * to the JDK.
   */
  public static synchronized Provider install(Mode mode) {
    if (mode == Mode.JDK) {
      Jca.prefer(null);
      return null;
    }
    if (installed != null) {
      Jca.prefer(installed);
      return installed;
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
    installed = p;
    Jca.prefer(p);
    return p;
  }

  /** A line for the start-up log. */
  public static String describe(Provider jsseProvider) {
    if (jsseProvider == null) {
      return "JDK providers (" + System.getProperty("java.vendor") + " " + System.getProperty("java.version") + ")";
    }
    Conscrypt.Version v = Conscrypt.version();
    return "Conscrypt " + v.major() + "." + v.minor() + "." + v.patch() + " (BoringSSL) preferred, JDK providers as fallback";
  }
}
