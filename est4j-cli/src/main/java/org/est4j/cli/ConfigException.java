package org.est4j.cli;

/** A configuration problem, naming the key ({@code tls.listen_address}) and what is wrong with it. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String key, String problem) {
    super(key.isEmpty() ? problem : key + ": " + problem);
  }

  public ConfigException(String key, String problem, Throwable cause) {
    super(key.isEmpty() ? problem : key + ": " + problem, cause);
  }
}
