package io.flotilla.tools.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.json.Json;
import io.flotilla.tools.admin.AdminApi;
import java.net.URI;

/** The few REST calls the simulator's tests make as an operator, each checked against the status it must answer. */
final class OperatorApi {
  private final AdminApi api;

  OperatorApi(int httpPort, String token) {
    this.api = new AdminApi(URI.create("http://127.0.0.1:" + httpPort), token, IllegalStateException::new);
  }

  JsonNode get(String path) {
    return api.get(path, "GET " + path, 200);
  }

  JsonNode post(String path, String body, int... expected) {
    return api.post(path, Json.readTrusted(body), "POST " + path, expected);
  }

  JsonNode patch(String path, String body, int... expected) {
    return api.patch(path, Json.readTrusted(body), "PATCH " + path, expected);
  }

  /** Sends a direct command and returns the command as the API answered it (200: the device's answer is in it). */
  JsonNode direct(String deviceId, String name, String payload) {
    return post("/api/v1/devices/" + deviceId + "/commands", "{\"name\":\"" + name + "\",\"payload\":" + payload
        + ",\"mode\":\"direct\",\"timeoutSeconds\":10}", 200);
  }
}
