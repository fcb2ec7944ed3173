package io.flotilla.core.twin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.json.Json;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One twin document of a device. A device always has the twin {@value #DEFAULT}; it may have named ones besides.
 *
 * @param metadata {@code {"desired":{…},"reported":{…}}}: the sections' shape with {@code {"updatedAt":…}} at each
 *     leaf
 * @param version 0 for a twin never written, then one more on every change of either section
 */
public record Twin(TenantId tenant, String device, String name, long version, ObjectNode desired,
    ObjectNode reported, ObjectNode metadata, Instant createdAt, Instant updatedAt) {
  /** The name of the twin every device has. */
  public static final String DEFAULT = "default";
  /** What a twin name may be: it is a topic level, so letters, digits, {@code _} and {@code -}. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  public Twin {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(device, "device");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid twin name '" + name + "'");
    }
    if (version < 0) {
      throw new IllegalArgumentException("a twin version is never negative");
    }
    desired = desired.deepCopy();
    reported = reported.deepCopy();
    metadata = metadata.deepCopy();
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** The twin of a device that has none stored yet: empty sections, version 0. */
  public static Twin empty(TenantId tenant, String device, String name, Instant at) {
    ObjectNode metadata = Json.object();
    metadata.putObject("desired");
    metadata.putObject("reported");
    return new Twin(tenant, device, name, 0, Json.object(), Json.object(), metadata, at, at);
  }

  /** The desired values that reported does not match (see {@link TwinDocuments#delta}). */
  public ObjectNode delta() {
    return TwinDocuments.delta(desired, reported);
  }

  /** A copy of one section: {@code desired} or {@code reported}. */
  public ObjectNode section(Section section) {
    return (section == Section.DESIRED ? desired : reported).deepCopy();
  }

  /** The two sections of a twin, and who writes each. */
  public enum Section {
    /** Written by operators and applications. */
    DESIRED,
    /** Written by the device. */
    REPORTED;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Section fromWire(String value) {
      return switch (value) {
        case "desired" -> DESIRED;
        case "reported" -> REPORTED;
        default -> throw new IllegalArgumentException("not a twin section: " + value);
      };
    }
  }
}
