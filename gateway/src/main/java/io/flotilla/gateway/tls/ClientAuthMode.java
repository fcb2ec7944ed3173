package io.flotilla.gateway.tls;

import io.netty.handler.ssl.ClientAuth;

/** Whether TLS clients are asked for a certificate. Which certificates are accepted is decided after TLS. */
public enum ClientAuthMode {
  /** Clients are not asked for a certificate; devices log in with a token. */
  NONE(ClientAuth.NONE),
  /** Clients may present a certificate; those that do not must log in with a token. */
  OPTIONAL(ClientAuth.OPTIONAL),
  /** The handshake fails unless the client presents a certificate and proves it holds the key. */
  REQUIRE(ClientAuth.REQUIRE);

  private final ClientAuth netty;

  ClientAuthMode(ClientAuth netty) {
    this.netty = netty;
  }

  ClientAuth toNetty() {
    return netty;
  }
}
