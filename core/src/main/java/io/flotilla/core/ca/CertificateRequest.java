package io.flotilla.core.ca;

import java.util.Objects;

/**
 * A certificate signing request that passed {@link CertificateAuthority#check}: well formed, an accepted
 * key, a valid self-signature.
 *
 * @param pem the request as received
 * @param keyDescription the public key in words, e.g. {@code EC P-256} or {@code RSA 3072}
 * @param requestedSubject the subject the request asked for, e.g. {@code CN=pump-1}; informative only, the
 *     certificate's subject is set by policy; empty for a bare public key
 * @param proofOfPossession true for a CSR (signed with the key it carries); false for a bare public key
 *     ({@code pem} is then {@code -----BEGIN PUBLIC KEY-----}) vouched for by whoever sent it
 */
public record CertificateRequest(String pem, String keyDescription, String requestedSubject,
    boolean proofOfPossession) {
  public CertificateRequest {
    Objects.requireNonNull(pem, "pem");
    Objects.requireNonNull(keyDescription, "keyDescription");
    Objects.requireNonNull(requestedSubject, "requestedSubject");
  }

  /** A checked CSR. */
  public CertificateRequest(String pem, String keyDescription, String requestedSubject) {
    this(pem, keyDescription, requestedSubject, true);
  }

  @Override
  public String toString() {
    return "CertificateRequest[" + keyDescription + ", " + requestedSubject + "]";
  }
}
