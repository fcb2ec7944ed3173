package io.flotilla.core.ca;

import io.flotilla.core.error.ValidationException;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.List;

/**
 * The cryptography of tenant CAs: making a CA, checking certificate signing requests, signing device
 * certificates and CRLs. It keeps no state: the CAs live in the registry with their keys sealed by the
 * server's master key, which only the implementation holds, so a key is opened just for the signature that
 * needs it and never leaves the implementation.
 */
public interface CertificateAuthority {

  /** The id of the master key that seals new CA keys; a CA sealed with another key cannot sign here. */
  String masterKeyId();

  /** A new CA for the tenant: a fresh key pair, a self-signed CA certificate, the private key sealed. */
  TenantCa create(TenantId tenant, String id, Instant now);

  /**
   * Reads and checks a certificate signing request: exactly one PEM request, a key type the platform
   * accepts, and a signature made with the private key of the public key it carries (proof of possession).
   *
   * @param field the request field the PEM came from, named in the errors
   * @throws ValidationException saying what is wrong with the request
   */
  CertificateRequest check(String field, String csrPem);

  /**
   * Reads and checks a bare public key in PEM ({@code -----BEGIN PUBLIC KEY-----}) that a trusted source (a
   * provisioning manifest) vouches for: a key type the platform accepts. There is no proof of possession.
   *
   * @param field the request field the PEM came from, named in the errors
   * @throws ValidationException saying what is wrong with the key
   */
  CertificateRequest checkPublicKey(String field, String publicKeyPem);

  /**
   * Signs a certificate for the request's public key. The subject and validity come from {@code template};
   * whatever subject or extensions the request asked for are ignored.
   *
   * @throws CaKeyUnavailableException when the CA's key cannot be opened with this server's master key
   */
  SignedCertificate sign(TenantCa ca, CertificateRequest request, CertificateTemplate template);

  /**
   * Signs a CRL listing {@code revoked}.
   *
   * @throws CaKeyUnavailableException when the CA's key cannot be opened with this server's master key
   */
  Crl crl(TenantCa ca, List<RevokedSerial> revoked, long number, Instant thisUpdate, Instant nextUpdate);
}
