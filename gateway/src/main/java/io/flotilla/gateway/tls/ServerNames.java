package io.flotilla.gateway.tls;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The names a server certificate is valid for (its subject alternative names), normalized so that two
 * sets compare equal when they name the same things: DNS names in lower case, IP addresses in their
 * canonical text form ({@code ::1}, not {@code 0:0:0:0:0:0:0:1}).
 */
public record ServerNames(SortedSet<String> dnsNames, SortedSet<String> ipAddresses) {
  private static final Pattern DNS_NAME = Pattern.compile(
      "(\\*\\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*",
      Pattern.CASE_INSENSITIVE);
  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;

  public ServerNames {
    dnsNames = Collections.unmodifiableSortedSet(new TreeSet<>(dnsNames));
    ipAddresses = Collections.unmodifiableSortedSet(new TreeSet<>(ipAddresses));
  }

  /** localhost, 127.0.0.1, ::1, the host's name when known, and the configured extra names. */
  public static ServerNames forServer(List<String> extraNames, Optional<String> hostName) {
    TreeSet<String> dns = new TreeSet<>(List.of("localhost"));
    TreeSet<String> ips = new TreeSet<>(List.of("127.0.0.1", "::1"));
    hostName.filter(h -> isDnsName(h) || isIpAddress(h)).ifPresent(h -> add(h, dns, ips));
    extraNames.forEach(n -> add(n, dns, ips));
    return new ServerNames(dns, ips);
  }

  /** The names in a certificate's subject alternative name extension. */
  public static ServerNames of(X509Certificate certificate) {
    TreeSet<String> dns = new TreeSet<>();
    TreeSet<String> ips = new TreeSet<>();
    try {
      Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
      for (List<?> san : sans == null ? List.<List<?>>of() : sans) {
        int type = (Integer) san.get(0);
        if (type == SAN_DNS || type == SAN_IP) {
          add((String) san.get(1), dns, ips);
        }
      }
    } catch (CertificateParsingException e) {
      // An unreadable extension names nothing; the certificate will be reissued.
    }
    return new ServerNames(dns, ips);
  }

  /**
   * The host's name from {@code InetAddress.getLocalHost()}, or empty when it does not resolve. This may
   * take as long as a DNS lookup on a host with a broken resolver configuration.
   */
  public static Optional<String> localHostName() {
    try {
      return Optional.of(InetAddress.getLocalHost().getHostName());
    } catch (UnknownHostException | SecurityException e) {
      return Optional.empty();
    }
  }

  /** Every name, DNS names first; for logs. */
  public List<String> all() {
    return java.util.stream.Stream.concat(dnsNames.stream(), ipAddresses.stream()).toList();
  }

  static boolean isIpAddress(String name) {
    return NetUtil.isValidIpV4Address(name) || NetUtil.isValidIpV6Address(name);
  }

  static boolean isDnsName(String name) {
    return name.length() <= 253 && DNS_NAME.matcher(name).matches();
  }

  private static void add(String name, TreeSet<String> dns, TreeSet<String> ips) {
    if (isIpAddress(name)) {
      ips.add(NetUtil.bytesToIpAddress(NetUtil.createByteArrayFromIpAddressString(name)));
    } else {
      dns.add(name.toLowerCase(Locale.ROOT));
    }
  }
}
