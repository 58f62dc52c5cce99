package org.est4j.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** est4j-client's version, from the resource Maven fills in at build time. */
public final class Version {
  private static final String VERSION = load();

  private Version() {}

  public static String version() {
    return VERSION;
  }

  public static String userAgent() {
    return "est4j/" + VERSION;
  }

  private static String load() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version", "");
        if (!v.isEmpty() && !v.startsWith("${")) {
          return v;
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return "dev";
  }
}
