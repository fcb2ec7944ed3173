package io.flotilla.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The REST API as an administrator calls it: JSON in and out, the admin token as bearer, 2xx or an error. */
final class AdminApi {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;
  private final String token;

  AdminApi(int httpPort, String token) {
    this.base = "http://127.0.0.1:" + httpPort;
    this.token = token;
  }

  JsonNode get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), path);
  }

  JsonNode post(String path, String json) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)), path);
  }

  private JsonNode send(HttpRequest.Builder request, String path) {
    request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60));
    try {
      HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new AssertionError(path + " answered " + response.statusCode() + ": " + response.body());
      }
      return Json.readTrusted(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
