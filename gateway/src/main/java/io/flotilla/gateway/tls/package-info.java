/**
 * TLS for the device gateway. {@link io.flotilla.gateway.tls.ServerTls} is the entry point: it finds the
 * server's certificate (the operator's files, or one issued by the built-in
 * {@link io.flotilla.gateway.tls.ServerCertificateAuthority} in {@code <data>/tls}), builds the Netty
 * {@link io.netty.handler.ssl.SslContext} for the TLS listeners ({@link io.flotilla.gateway.tls.ServerSslContexts})
 * and renews it while the server runs. {@link io.flotilla.gateway.tls.PeerCertificates} reads a device's
 * certificate chain from a connection. {@link io.flotilla.gateway.tls.TlsSettings} configures all of it.
 * Nothing here is null unless typed Optional; private keys never appear in logs or {@code toString}.
 */
package io.flotilla.gateway.tls;
