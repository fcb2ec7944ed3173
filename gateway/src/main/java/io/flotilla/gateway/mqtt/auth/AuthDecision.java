package io.flotilla.gateway.mqtt.auth;

import java.util.Objects;

/** The outcome of authenticating a CONNECT. */
public sealed interface AuthDecision {

  /** The client may connect as {@code identity}. */
  record Accepted(ClientIdentity identity) implements AuthDecision {
    public Accepted {
      Objects.requireNonNull(identity, "identity");
    }
  }

  /**
   * The client is refused; {@code logDetail} goes to the broker's log only (never to the client), so
   * it may name the reason precisely but must not contain secrets.
   */
  record Refused(RefusalReason reason, String logDetail) implements AuthDecision {
    public Refused {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(logDetail, "logDetail");
    }
  }

  static AuthDecision accept(ClientIdentity identity) {
    return new Accepted(identity);
  }

  static AuthDecision refuse(RefusalReason reason, String logDetail) {
    return new Refused(reason, logDetail);
  }
}
