package io.flotilla.api;

import io.javalin.http.Context;
import java.security.cert.X509Certificate;
import java.util.Optional;

/** The TLS client certificate of a request on the HTTPS listener, as Jetty's secure request customizer sets it. */
final class ClientCertificates {
  static final String ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

  private ClientCertificates() {
  }

  /** The certificate the client proved it holds the key of; empty on plain HTTP or without one. */
  static Optional<X509Certificate> leaf(Context ctx) {
    return ctx.req().getAttribute(ATTRIBUTE) instanceof X509Certificate[] chain && chain.length > 0
        ? Optional.of(chain[0]) : Optional.empty();
  }
}
