package io.flotilla.core.ca;

import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * A certificate revocation list signed by a tenant CA.
 *
 * @param number the CRL number; every CRL a CA issues has a higher one than the last
 * @param pem the CRL, PEM ({@code -----BEGIN X509 CRL-----})
 */
public record Crl(long number, Instant thisUpdate, Instant nextUpdate, String pem) {
  private static final String BEGIN = "-----BEGIN X509 CRL-----";
  private static final String END = "-----END X509 CRL-----";

  public Crl {
    Objects.requireNonNull(thisUpdate, "thisUpdate");
    Objects.requireNonNull(nextUpdate, "nextUpdate");
    Objects.requireNonNull(pem, "pem");
    if (!pem.contains(BEGIN) || !pem.contains(END)) {
      throw new IllegalArgumentException("a CRL's PEM starts with " + BEGIN);
    }
  }

  /** The CRL in DER, as served with {@code application/pkix-crl}. */
  public byte[] der() {
    String body = pem.substring(pem.indexOf(BEGIN) + BEGIN.length(), pem.indexOf(END));
    return Base64.getMimeDecoder().decode(body);
  }
}
