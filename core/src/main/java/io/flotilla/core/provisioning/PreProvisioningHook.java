package io.flotilla.core.provisioning;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The tenant's say over each provisioning request: the request is sent to the enrollment group's webhook, which
 * allows it (possibly amending the device id, tags or profile) or denies it. Implemented over HTTP by the server;
 * an unreachable or unclear hook denies, with a reason that says so.
 */
public interface PreProvisioningHook {

  /**
   * Asks the hook at {@code url}, signing {@code request} with {@code secret}. Blocks for at most the
   * implementation's timeout.
   */
  Decision ask(String url, byte[] secret, ObjectNode request);

  /** What the hook decided. */
  sealed interface Decision {
    /** Go on, with the hook's amendments: another device id, tags added over the template's, another profile. */
    record Allow(Optional<String> deviceId, Map<String, String> tags, Optional<String> profile) implements Decision {
      public Allow {
        Objects.requireNonNull(deviceId, "deviceId");
        tags = Map.copyOf(tags);
        Objects.requireNonNull(profile, "profile");
      }
    }

    record Deny(String reason) implements Decision {
      public Deny {
        Objects.requireNonNull(reason, "reason");
      }
    }
  }

  /** No hook: everything is allowed as asked. */
  PreProvisioningHook NONE = (url, secret, request) -> new Decision.Allow(Optional.empty(), Map.of(),
      Optional.empty());
}
