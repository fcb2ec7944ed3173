package io.flotilla.gateway.mqtt;

import java.util.Objects;

/** What became of an intercepted PUBLISH, and so what its publisher is told. */
public sealed interface PublishVerdict {

  /** Taken (and durable where that matters): acknowledge; route it on to subscribers when {@code route}. */
  record Accepted(boolean route) implements PublishVerdict {
  }

  /**
   * Refused for good (the payload is invalid, say): MQTT 5 gets {@code reasonCode} and the reason string;
   * MQTT 3.1.1 cannot be told and gets a plain acknowledgement, so the device does not resend it forever.
   */
  record Refused(int reasonCode, String reason) implements PublishVerdict {
    public Refused {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Not taken for now (storage failing or overloaded): MQTT 5 gets {@code reasonCode} and the reason;
   * an MQTT 3.1.1 connection is closed without acknowledgement, so its client sends the message again.
   */
  record Failed(int reasonCode, String reason) implements PublishVerdict {
    public Failed {
      Objects.requireNonNull(reason, "reason");
    }
  }

  PublishVerdict ROUTE = new Accepted(true);
}
