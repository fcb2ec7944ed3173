package io.flotilla.device;

import java.util.regex.Pattern;

/** The topics of Flotilla's device contract for one device (see the module README). */
final class DeviceTopics {
  static final Pattern TWIN_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  static final String DEFAULT_TWIN = "default";

  final String base;

  DeviceTopics(String deviceId) {
    this.base = "devices/" + deviceId;
  }

  String telemetry() {
    return base + "/telemetry";
  }

  /** {@code devices/{id}/twin} for the default twin, {@code devices/{id}/twins/{name}} for a named one. */
  String twin(String name) {
    return DEFAULT_TWIN.equals(name) ? base + "/twin" : base + "/twins/" + name;
  }

  String commandResponse(String commandId) {
    return base + "/commands/" + commandId + "/response";
  }

  /** Every filter the device subscribes to after each connect. */
  String[] subscriptions() {
    return new String[] {
        base + "/commands/+",
        base + "/commands/+/response/rejected",
        base + "/twin/delta",
        base + "/twin/get/+",
        base + "/twin/report/+",
        base + "/twins/+/delta",
        base + "/twins/+/get/+",
        base + "/twins/+/report/+"};
  }

  static void requireTwinName(String name) {
    if (!TWIN_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a twin name is 1 to 64 of A-Z, a-z, 0-9, '_' and '-', was '" + name + "'");
    }
  }
}
