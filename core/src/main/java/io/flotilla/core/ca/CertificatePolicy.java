package io.flotilla.core.ca;

import java.time.Duration;
import java.util.Objects;

/**
 * How long device certificates are valid: {@code defaultValidity} when the request names no validity,
 * never longer than {@code maxValidity}, and never past the CA's own end.
 */
public record CertificatePolicy(Duration defaultValidity, Duration maxValidity) {
  /** Certificates start a little in the past, so that devices with slightly slow clocks accept them at once. */
  public static final Duration BACKDATE = Duration.ofMinutes(5);
  /** How long a CRL is valid; relying parties fetch a new one before then. */
  public static final Duration CRL_VALIDITY = Duration.ofHours(24);

  public CertificatePolicy {
    Objects.requireNonNull(defaultValidity, "defaultValidity");
    Objects.requireNonNull(maxValidity, "maxValidity");
    if (defaultValidity.toDays() < 1 || maxValidity.compareTo(defaultValidity) < 0) {
      throw new IllegalArgumentException("the default validity must be at least a day and at most the maximum, not "
          + defaultValidity.toDays() + " days with a maximum of " + maxValidity.toDays());
    }
  }

  public static CertificatePolicy ofDays(int defaultDays, int maxDays) {
    return new CertificatePolicy(Duration.ofDays(defaultDays), Duration.ofDays(maxDays));
  }
}
