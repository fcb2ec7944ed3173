package io.flotilla.core.ca;

import java.time.Instant;
import java.util.Objects;

/**
 * What policy decides about a device certificate, whatever the request asked for.
 *
 * @param commonName the subject's CN: the device id
 */
public record CertificateTemplate(String commonName, Instant notBefore, Instant notAfter) {
  public CertificateTemplate {
    Objects.requireNonNull(commonName, "commonName");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    if (!notAfter.isAfter(notBefore)) {
      throw new IllegalArgumentException("a certificate's notAfter must be after its notBefore");
    }
  }
}
