package io.flotilla.api;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The plain HTTP connector. Javalin adds its own only when no other connector is configured, so with an
 * HTTPS listener beside it the API adds this one itself; the address is known only when the server starts.
 */
final class HttpConnector {
  private volatile String host;
  private volatile int port;
  private volatile ServerConnector connector;

  /** Where the next start binds. */
  void bindTo(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** Builds the connector on Javalin's HTTP configuration; Javalin calls this when the server starts. */
  Connector create(Server server, HttpConfiguration http) {
    ServerConnector created = new ServerConnector(server, new HttpConnectionFactory(http));
    created.setHost(host);
    created.setPort(port);
    connector = created;
    return created;
  }

  /** The port bound; -1 before the server started. */
  int port() {
    ServerConnector bound = connector;
    return bound == null ? -1 : bound.getLocalPort();
  }
}
