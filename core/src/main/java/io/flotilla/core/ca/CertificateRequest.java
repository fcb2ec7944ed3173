package io.flotilla.core.ca;

import java.util.Objects;

/**
 * A certificate signing request that passed {@link CertificateAuthority#check}: well formed, an accepted
 * key, a valid self-signature.
 *
 * @param pem the request as received
 * @param keyDescription the public key in words, e.g. {@code EC P-256} or {@code RSA 3072}
 * @param requestedSubject the subject the request asked for, e.g. {@code CN=pump-1}; informative only, the
 *     certificate's subject is set by policy
 */
public record CertificateRequest(String pem, String keyDescription, String requestedSubject) {
  public CertificateRequest {
    Objects.requireNonNull(pem, "pem");
    Objects.requireNonNull(keyDescription, "keyDescription");
    Objects.requireNonNull(requestedSubject, "requestedSubject");
  }

  @Override
  public String toString() {
    return "CertificateRequest[" + keyDescription + ", " + requestedSubject + "]";
  }
}
