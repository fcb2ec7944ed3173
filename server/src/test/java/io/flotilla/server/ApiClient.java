package io.flotilla.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** A tiny HTTP client for tests: JSON in, JSON out, one bearer token or a device's Basic credentials. */
final class ApiClient {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;
  private final Optional<String> authorization;

  ApiClient(int port, Optional<String> token) {
    this("http://127.0.0.1:" + port, token.map(t -> "Bearer " + t));
  }

  private ApiClient(String base, Optional<String> authorization) {
    this.base = base;
    this.authorization = authorization;
  }

  ApiClient as(String otherToken) {
    return new ApiClient(base, Optional.of("Bearer " + otherToken));
  }

  /** A client signing in as a device does, with HTTP Basic: its id and device token ({@code curl -u id:token}). */
  ApiClient asDevice(String deviceId, String deviceToken) {
    return new ApiClient(base, Optional.of("Basic " + java.util.Base64.getEncoder().encodeToString(
        (deviceId + ":" + deviceToken).getBytes(java.nio.charset.StandardCharsets.UTF_8))));
  }

  Response get(String path) {
    return send("GET", path, null, "application/json", null);
  }

  Response post(String path, String body) {
    return send("POST", path, body, "application/json", null);
  }

  Response postCsv(String path, String body) {
    return send("POST", path, body, "text/csv", null);
  }

  Response patch(String path, String body, String ifMatch) {
    return send("PATCH", path, body, "application/json", ifMatch);
  }

  Response delete(String path) {
    return send("DELETE", path, null, "application/json", null);
  }

  Response send(String method, String path, String body, String contentType, String ifMatch) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", contentType);
    }
    authorization.ifPresent(a -> b.header("Authorization", a));
    if (ifMatch != null) {
      b.header("If-Match", ifMatch);
    }
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""),
          r.headers().firstValue("ETag").orElse(""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A response with its body parsed lazily as JSON. */
  record Response(int status, String body, String contentType, String etag) {
    JsonNode json() {
      return Json.readTrusted(body);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }
}
