package io.flotilla.core.ca;

import io.flotilla.core.Identifiers;
import io.flotilla.core.ca.ProvisioningTemplate.IdSource;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * The checks on certificates from tenants' own CAs, with the JDK alone: whether a certificate may act as a CA,
 * whether a certificate was signed by a given CA and is in its validity, and which device id it names.
 */
public final class CertificateChecks {
  /** keyUsage bit 5 (RFC 5280 4.2.1.3). */
  private static final int KEY_CERT_SIGN = 5;
  private static final int SAN_DNS = 2;
  private static final int SAN_URI = 6;

  private CertificateChecks() {}

  /** Why {@code certificate} may not act as a CA at {@code now}, or empty when it may. */
  public static Optional<String> caProblem(X509Certificate certificate, Instant now) {
    if (certificate.getBasicConstraints() < 0) {
      return Optional.of("is not a CA certificate: it lacks basicConstraints CA:TRUE");
    }
    boolean[] usage = certificate.getKeyUsage();
    if (usage != null && (usage.length <= KEY_CERT_SIGN || !usage[KEY_CERT_SIGN])) {
      return Optional.of("has a keyUsage without keyCertSign, so it may not sign certificates");
    }
    return validityProblem(certificate, now);
  }

  /** Why {@code certificate} is not valid at {@code now}, or empty when it is. */
  public static Optional<String> validityProblem(X509Certificate certificate, Instant now) {
    if (now.isBefore(certificate.getNotBefore().toInstant())) {
      return Optional.of("is not valid before " + certificate.getNotBefore().toInstant());
    }
    if (!now.isBefore(certificate.getNotAfter().toInstant())) {
      return Optional.of("expired on " + certificate.getNotAfter().toInstant());
    }
    return Optional.empty();
  }

  /**
   * Whether {@code ca} issued {@code certificate}: its issuer is the CA's subject and its signature verifies
   * with the CA's public key. A CA of the same name but another key does not pass.
   */
  public static boolean signedBy(X509Certificate certificate, X509Certificate ca) {
    if (!certificate.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
      return false;
    }
    try {
      certificate.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** The subject in RFC 2253 canonical form, as CAs are looked up by their device certificates' issuer. */
  public static String subject(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().getName(X500Principal.CANONICAL);
  }

  public static String issuer(X509Certificate certificate) {
    return certificate.getIssuerX500Principal().getName(X500Principal.CANONICAL);
  }

  /** The lower-case hex SHA-256 of the certificate's public key (its SubjectPublicKeyInfo). */
  public static String keyFingerprint(X509Certificate certificate) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(certificate.getPublicKey().getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }

  /** The subject's most specific common name, if it has one. */
  public static Optional<String> commonName(X509Certificate certificate) {
    try {
      List<Rdn> rdns = new LdapName(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253)).getRdns();
      Optional<String> cn = Optional.empty();
      for (Rdn rdn : rdns) { // from the least to the most specific: the most specific common name wins
        if (rdn.getType().equalsIgnoreCase("CN")) {
          cn = Optional.of(rdn.getValue().toString());
        }
      }
      return cn;
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
  }

  /**
   * The device id a certificate names, read where {@code source} says: the common name, or the first DNS or
   * URI subject alternative name. The value must be a valid device id as it stands; nothing is rewritten.
   *
   * @return the id, or a problem saying what was found instead
   */
  public static DeviceIdReading deviceId(X509Certificate certificate, IdSource source) {
    Optional<String> value = switch (source) {
      case CN -> commonName(certificate);
      case SAN_DNS -> firstSan(certificate, SAN_DNS);
      case SAN_URI -> firstSan(certificate, SAN_URI);
    };
    String where = switch (source) {
      case CN -> "subject common name";
      case SAN_DNS -> "DNS subject alternative name";
      case SAN_URI -> "URI subject alternative name";
    };
    if (value.isEmpty()) {
      return new DeviceIdReading(Optional.empty(), "the certificate has no " + where + " to take the device id from");
    }
    if (!Identifiers.isEntityId(value.get())) {
      return new DeviceIdReading(Optional.empty(), "the certificate's " + where + " '" + value.get()
          + "' is not a valid device id: " + Identifiers.describeInvalid(value.get()));
    }
    return new DeviceIdReading(value, "");
  }

  /** A device id read from a certificate, or why none could be. */
  public record DeviceIdReading(Optional<String> id, String problem) {}

  private static Optional<String> firstSan(X509Certificate certificate, int type) {
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      if (names == null) {
        return Optional.empty();
      }
      return names.stream().filter(n -> n.size() >= 2 && n.get(0) instanceof Integer t && t == type
          && n.get(1) instanceof String).map(n -> (String) n.get(1)).findFirst();
    } catch (CertificateParsingException e) {
      return Optional.empty();
    }
  }
}
