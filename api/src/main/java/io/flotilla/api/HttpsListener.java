package io.flotilla.api;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The API's TLS listener beside the plain HTTP one.
 *
 * @param host address to bind
 * @param port port to bind; 0 = any free port
 * @param context the server's TLS context; asked again every hour and swapped in when it is another object
 *     (the server certificate was renewed)
 * @param askForClientCertificates whether the handshake asks clients for a certificate (never requires one:
 *     people use bearer tokens on the same port)
 * @param protocols TLS versions offered
 * @param cipherSuites cipher suites offered
 */
public record HttpsListener(String host, int port, Supplier<SSLContext> context, boolean askForClientCertificates,
    List<String> protocols, List<String> cipherSuites) {

  public HttpsListener {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(context, "context");
    protocols = List.copyOf(protocols);
    cipherSuites = List.copyOf(cipherSuites);
  }
}
