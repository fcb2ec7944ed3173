package io.flotilla.core.ca;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a device is registered the first time it connects with a certificate from a registered CA.
 *
 * @param profile the device profile it gets; must exist in the tenant
 * @param groups static groups it joins
 * @param tags its tags
 * @param idFrom where in the certificate its id is read
 * @param approval whether it may work at once or waits, {@code pending}, for an operator
 * @param initialTwin the twin's first desired state, over the profile's default ({@code InitialTwins})
 */
public record ProvisioningTemplate(String profile, List<String> groups, Map<String, String> tags, IdSource idFrom,
    Approval approval, Optional<ObjectNode> initialTwin) {
  public ProvisioningTemplate {
    Objects.requireNonNull(profile, "profile");
    groups = List.copyOf(groups);
    tags = Map.copyOf(tags);
    Objects.requireNonNull(idFrom, "idFrom");
    Objects.requireNonNull(approval, "approval");
    Objects.requireNonNull(initialTwin, "initialTwin");
  }

  /** Where the device id is read: the subject's common name, or the first DNS or URI subject alternative name. */
  public enum IdSource {
    CN("cn"), SAN_DNS("san-dns"), SAN_URI("san-uri");

    private final String wire;

    IdSource(String wire) {
      this.wire = wire;
    }

    public String wireName() {
      return wire;
    }

    public static Optional<IdSource> fromWire(String value) {
      for (IdSource s : values()) {
        if (s.wire.equals(value)) {
          return Optional.of(s);
        }
      }
      return Optional.empty();
    }
  }

  /** Whether a device registered just in time is active at once or pending until approved. */
  public enum Approval {
    AUTO, PENDING;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Approval> fromWire(String value) {
      for (Approval a : values()) {
        if (a.wireName().equals(value)) {
          return Optional.of(a);
        }
      }
      return Optional.empty();
    }
  }
}
