package org.est4j.cli.estclient;

import picocli.CommandLine.Option;

/** The flags of every command that talks to an EST server. */
final class ServerOptions {
  @Option(names = {"-server", "--server"}, paramLabel = "<host:port>", description = "EST server host and port")
  String server;

  @Option(names = {"-aps", "--aps"}, paramLabel = "<string>",
      description = "additional path segment (CA label, RFC 7030 §3.2.2)")
  String aps;

  @Option(names = {"-explicit", "--explicit"}, paramLabel = "<path>",
      description = "explicit trust anchor file (PEM certificates); wins over -implicit")
  String explicit;

  @Option(names = {"-implicit", "--implicit"}, paramLabel = "<path>",
      description = "implicit trust anchor file (PEM certificates); the system trust store when neither is given")
  String implicit;

  @Option(names = {"-insecure", "--insecure"},
      description = "do not verify the server's certificate (cacerts only: bootstrap, RFC 7030 §4.1.1)")
  boolean insecure;

  @Option(names = {"-certs", "--certs"}, paramLabel = "<path>",
      description = "TLS client certificate(s), PEM, leaf first; authenticates with -key")
  String certs;

  @Option(names = {"-user", "--user"}, paramLabel = "<string>", description = "HTTP Basic user name")
  String user;

  @Option(names = {"-pass", "--pass"}, paramLabel = "<string>", description = "HTTP Basic password")
  String pass;

  @Option(names = {"-headers", "--headers"}, paramLabel = "<string>",
      description = "extra HTTP headers Name:Value<sep>Name:Value (replaces the configuration's)")
  String headers;

  @Option(names = {"-hostheader", "--hostheader"}, paramLabel = "<string>", description = "HTTP Host header to send")
  String hostHeader;

  @Option(names = {"-timeout", "--timeout"}, paramLabel = "<duration>",
      description = "timeout of connecting and of each read, e.g. 30s, 2m (default 15s; 0 = none)")
  String timeout;
}
