/**
 * Tenant certificate authorities and the device certificates they issue: the domain records, the
 * {@link io.flotilla.core.ca.CertificateAuthority} port that does the cryptography (implemented on Bouncy
 * Castle in the {@code ca} module) and the issuance policy. Private keys never appear here in clear: a CA's
 * key is a {@link io.flotilla.core.ca.SealedKey} that only the port's implementation can open. Nothing here
 * is null unless typed Optional.
 */
package io.flotilla.core.ca;
