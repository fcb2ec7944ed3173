package io.flotilla.tools.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The few REST calls the simulator's tests make as an operator, each checked against the status it must answer. */
final class OperatorApi {
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;
  private final String token;

  OperatorApi(int httpPort, String token) {
    this.base = "http://127.0.0.1:" + httpPort;
    this.token = token;
  }

  JsonNode get(String path) {
    return send(request(path).GET(), 200);
  }

  JsonNode post(String path, String body, int... expected) {
    return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)), expected);
  }

  JsonNode patch(String path, String body, int... expected) {
    return send(request(path).method("PATCH", HttpRequest.BodyPublishers.ofString(body)), expected);
  }

  /** Sends a direct command and returns the command as the API answered it (200: the device's answer is in it). */
  JsonNode direct(String deviceId, String name, String payload) {
    return post("/api/v1/devices/" + deviceId + "/commands", "{\"name\":\"" + name + "\",\"payload\":" + payload
        + ",\"mode\":\"direct\",\"timeoutSeconds\":10}", 200);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json");
  }

  private JsonNode send(HttpRequest.Builder request, int... expected) {
    HttpRequest built = request.build();
    try {
      HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
      for (int status : expected) {
        if (response.statusCode() == status) {
          return response.body().isEmpty() ? Json.object() : Json.readTrusted(response.body());
        }
      }
      throw new AssertionError(built.method() + " " + built.uri() + " answered " + response.statusCode() + " "
          + response.body());
    } catch (IOException e) {
      throw new AssertionError(built.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
