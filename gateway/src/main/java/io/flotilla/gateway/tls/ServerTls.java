package io.flotilla.gateway.tls;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS side of the gateway's listeners: the server's identity and the {@link SslContext} built from
 * it, kept current while the server runs.
 *
 * <p>Use {@link #sslContext()} for every new connection
 * ({@code pipeline.addFirst("tls", tls.sslContext().newHandler(channel.alloc()))}); once an hour it checks
 * whether the identity changed (the built-in CA reissued the server certificate because it expires within
 * 30 days, or the operator replaced the files) and then builds a new context. Connections already open
 * keep theirs. If the check fails, the error is logged and the current context stays in use.
 */
public final class ServerTls {
  static final Duration CHECK_INTERVAL = Duration.ofHours(1);
  private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

  private final Supplier<ServerIdentity> source;
  private final ClientAuthMode clientAuth;
  private final Clock clock;
  private volatile Current current;

  ServerTls(Supplier<ServerIdentity> source, ClientAuthMode clientAuth, Clock clock) {
    this.source = source;
    this.clientAuth = clientAuth;
    this.clock = clock;
    ServerIdentity identity = source.get();
    this.current = new Current(identity, ServerSslContexts.build(identity, clientAuth), clock.instant().plus(CHECK_INTERVAL));
  }

  /**
   * Sets up TLS for a server with the data folder {@code dataDir}: with the operator's files when the
   * settings name them (nothing is created then), otherwise with the built-in CA in {@code <dataDir>/tls},
   * created on first start.
   *
   * @throws TlsSetupException when a file is missing, unreadable or does not match; the message says which
   */
  public static ServerTls open(Path dataDir, TlsSettings settings, Clock clock) {
    if (settings.usesOperatorCertificate()) {
      Path chain = settings.certificateChainFile().orElseThrow();
      Path key = settings.privateKeyFile().orElseThrow();
      ServerTls tls = new ServerTls(() -> ServerIdentity.fromFiles(chain, key), settings.clientAuth(), clock);
      LOG.info("TLS uses the operator's certificate {} from {}", tls.identity(), chain);
      warnIfExpiring(tls.identity().certificate(), clock);
      return tls;
    }
    ServerCertificateAuthority ca = ServerCertificateAuthority.inDataDir(dataDir, clock);
    ServerNames names = ServerNames.forServer(settings.extraNames(), ServerNames.localHostName());
    return new ServerTls(() -> ca.ensure(names), settings.clientAuth(), clock);
  }

  /** The context for a new connection; the same object until the identity changes. */
  public SslContext sslContext() {
    Current now = current;
    if (clock.instant().isAfter(now.nextCheck())) {
      now = refresh(now);
    }
    return now.context();
  }

  /**
   * The JDK context inside {@link #sslContext()}, for TLS listeners outside Netty (the HTTPS API): the same
   * object until the identity changes. It carries the key and the client trust manager; protocols, cipher
   * suites and whether to ask for client certificates are the listener's to set.
   */
  public SSLContext jdkSslContext() {
    return ((JdkSslContext) sslContext()).context();
  }

  public ClientAuthMode clientAuth() {
    return clientAuth;
  }

  public ServerIdentity identity() {
    return current.identity();
  }

  /**
   * The built-in CA's certificate in PEM, for {@code GET /api/v1/server/ca.pem}: devices that trust it
   * can verify this server. Empty when the operator's certificate is used (devices then trust whatever
   * CA issued that one).
   */
  public Optional<String> caCertificatePem() {
    return identity().builtInCa().map(ca -> PemFiles.certificatesPem(List.of(ca)));
  }

  private synchronized Current refresh(Current seen) {
    if (current != seen) {
      return current;
    }
    Instant nextCheck = clock.instant().plus(CHECK_INTERVAL);
    try {
      ServerIdentity identity = source.get();
      if (identity.certificate().equals(seen.identity().certificate())) {
        current = new Current(seen.identity(), seen.context(), nextCheck);
      } else {
        current = new Current(identity, ServerSslContexts.build(identity, clientAuth), nextCheck);
        LOG.info("TLS now presents {}", identity);
      }
    } catch (RuntimeException e) {
      LOG.error("Cannot renew the server's TLS certificate; keeping {} until the next try in {}: {}",
          seen.identity(), CHECK_INTERVAL, e.getMessage());
      current = new Current(seen.identity(), seen.context(), nextCheck);
    }
    warnIfExpiring(current.identity().certificate(), clock);
    return current;
  }

  private static void warnIfExpiring(X509Certificate certificate, Clock clock) {
    Instant notAfter = certificate.getNotAfter().toInstant();
    if (notAfter.isBefore(clock.instant().plus(ServerCertificateAuthority.RENEW_BEFORE))) {
      LOG.warn("The server's TLS certificate {} expires on {}; replace it", certificate.getSubjectX500Principal(),
          notAfter);
    }
  }

  private record Current(ServerIdentity identity, SslContext context, Instant nextCheck) {}
}
