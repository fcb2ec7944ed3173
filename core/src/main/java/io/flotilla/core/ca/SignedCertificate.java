package io.flotilla.core.ca;

import java.time.Instant;
import java.util.Objects;

/**
 * A certificate the CA just signed.
 *
 * @param pem the certificate, PEM
 * @param serial its serial number in upper-case hex with an even number of digits, as {@code openssl x509
 *     -serial} prints it
 */
public record SignedCertificate(String pem, String serial, Instant notBefore, Instant notAfter) {
  public SignedCertificate {
    Objects.requireNonNull(pem, "pem");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
  }
}
