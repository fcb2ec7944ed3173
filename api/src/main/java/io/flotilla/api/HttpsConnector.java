package io.flotilla.api;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty connector of an {@link HttpsListener}, and the hourly check that swaps in a renewed server
 * certificate without a restart (connections already open keep the old one).
 */
final class HttpsConnector implements AutoCloseable {
  static final Duration RENEWAL_CHECK = Duration.ofHours(1);
  private static final Logger LOG = LoggerFactory.getLogger(HttpsConnector.class);

  private final HttpsListener listener;
  private final SslContextFactory.Server factory = new SslContextFactory.Server();
  private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "flotilla-https-renewal");
    thread.setDaemon(true);
    return thread;
  });
  private volatile SSLContext current;
  private volatile ServerConnector connector;

  HttpsConnector(HttpsListener listener) {
    this.listener = listener;
    this.current = listener.context().get();
    factory.setSslContext(current);
    factory.setWantClientAuth(listener.askForClientCertificates());
    factory.setIncludeProtocols(listener.protocols().toArray(String[]::new));
    factory.setIncludeCipherSuites(listener.cipherSuites().toArray(String[]::new));
  }

  /** Builds the connector on Javalin's HTTP configuration; Javalin calls this when the server starts. */
  Connector create(Server server, HttpConfiguration http) {
    HttpConfiguration https = new HttpConfiguration(http);
    // Devices reach the server by whatever name or address they were given; the certificate lists the ones
    // Flotilla knows, and the client has already checked it. Jetty's Host-versus-SNI check would refuse the rest.
    https.addCustomizer(new SecureRequestCustomizer(false));
    ServerConnector created = new ServerConnector(server,
        new SslConnectionFactory(factory, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(https));
    created.setHost(listener.host());
    created.setPort(listener.port());
    connector = created;
    renewals.scheduleWithFixedDelay(this::swapIfRenewed, RENEWAL_CHECK.toMinutes(), RENEWAL_CHECK.toMinutes(),
        TimeUnit.MINUTES);
    return created;
  }

  /** The port bound; -1 before the server started. */
  int port() {
    ServerConnector bound = connector;
    return bound == null ? -1 : bound.getLocalPort();
  }

  void swapIfRenewed() {
    try {
      SSLContext next = listener.context().get();
      if (next != current) {
        factory.reload(f -> f.setSslContext(next));
        current = next;
        LOG.info("HTTPS now presents the renewed server certificate");
      }
    } catch (Exception e) {
      LOG.error("Cannot swap in the renewed server certificate on HTTPS; trying again in {}: {}", RENEWAL_CHECK,
          e.toString());
    }
  }

  @Override
  public void close() {
    renewals.shutdownNow();
  }
}
