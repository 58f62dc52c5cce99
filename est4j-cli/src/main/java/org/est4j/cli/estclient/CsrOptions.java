package org.est4j.cli.estclient;

import picocli.CommandLine.Option;

/** The fields of a CSR built from flags; list values are split by {@code -separator}. */
final class CsrOptions {
  @Option(names = {"-cn", "--cn"}, paramLabel = "<string>", description = "subject common name")
  String cn;

  @Option(names = {"-country", "--country"}, paramLabel = "<string>", description = "subject country")
  String country;

  @Option(names = {"-dnsnames", "--dnsnames"}, paramLabel = "<list>", description = "SAN DNS names")
  String dnsNames;

  @Option(names = {"-emails", "--emails"}, paramLabel = "<list>", description = "SAN email addresses")
  String emails;

  @Option(names = {"-ips", "--ips"}, paramLabel = "<list>", description = "SAN IP addresses")
  String ips;

  @Option(names = {"-locality", "--locality"}, paramLabel = "<string>", description = "subject locality")
  String locality;

  @Option(names = {"-org", "--org"}, paramLabel = "<string>", description = "subject organization")
  String org;

  @Option(names = {"-ou", "--ou"}, paramLabel = "<list>", description = "subject organizational unit(s)")
  String ou;

  @Option(names = {"-postalcode", "--postalcode"}, paramLabel = "<string>", description = "subject postal code")
  String postalCode;

  @Option(names = {"-province", "--province"}, paramLabel = "<string>", description = "subject state or province")
  String province;

  @Option(names = {"-sn", "--sn"}, paramLabel = "<string>", description = "subject serial number")
  String serialNumber;

  @Option(names = {"-street", "--street"}, paramLabel = "<string>", description = "subject street address")
  String street;

  @Option(names = {"-uris", "--uris"}, paramLabel = "<list>", description = "SAN URIs")
  String uris;
}
