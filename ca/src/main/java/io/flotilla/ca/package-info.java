/**
 * Tenant certificate authorities on Bouncy Castle ({@link io.flotilla.ca.BouncyCastleCertificateAuthority},
 * the engine behind core's {@code CertificateAuthority} port): CSR checks, device certificates, CRLs, and
 * the sealing of CA keys with the server's {@link io.flotilla.ca.MasterKey}. Also the X.509 building blocks
 * ({@link io.flotilla.ca.KeyPairs}, {@link io.flotilla.ca.CaCertificates}, {@link io.flotilla.ca.Pem}) that
 * the gateway's own TLS CA shares. Bouncy Castle runs over the JDK's crypto providers: no provider is
 * registered globally. Nothing here is null unless typed Optional.
 */
package io.flotilla.ca;
