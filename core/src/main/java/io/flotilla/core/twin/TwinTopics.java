package io.flotilla.core.twin;

import java.util.Optional;

/**
 * The MQTT topics of twins: the default twin under {@code devices/{id}/twin/…}, a named twin under
 * {@code devices/{id}/twins/{name}/…}, each with {@code get}, {@code report} (device to platform), their
 * {@code …/accepted} and {@code …/rejected} answers and {@code delta} (platform to device).
 */
public final class TwinTopics {
  private TwinTopics() {}

  /** {@code devices/{id}/twin} or {@code devices/{id}/twins/{name}}. */
  public static String base(String device, String name) {
    return name.equals(Twin.DEFAULT) ? "devices/" + device + "/twin" : "devices/" + device + "/twins/" + name;
  }

  /** Where the platform publishes the twin's delta. */
  public static String delta(String device, String name) {
    return base(device, name) + "/delta";
  }

  /**
   * What a device's topic under its own namespace asks of a twin, or empty when it is no twin topic.
   *
   * @param operation what follows the twin: {@code get}, {@code report}, or anything else the device may not use
   */
  public record Request(String name, String operation) {}

  /** Parses {@code devices/{device}/twin/…} and {@code devices/{device}/twins/{name}/…}. */
  public static Optional<Request> parse(String topic, String device) {
    String own = "devices/" + device + "/";
    if (!topic.startsWith(own)) {
      return Optional.empty();
    }
    String rest = topic.substring(own.length());
    if (rest.startsWith("twin/")) {
      return Optional.of(new Request(Twin.DEFAULT, rest.substring(5)));
    }
    if (rest.equals("twin")) {
      return Optional.of(new Request(Twin.DEFAULT, ""));
    }
    if (rest.startsWith("twins/")) {
      String named = rest.substring(6);
      int slash = named.indexOf('/');
      return Optional.of(slash < 0 ? new Request(named, "") : new Request(named.substring(0, slash),
          named.substring(slash + 1)));
    }
    return Optional.empty();
  }
}
