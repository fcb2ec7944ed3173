package io.flotilla.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.json.Json;
import java.net.URI;

/** The REST API as an administrator calls it in these tests: JSON in and out, the admin token as bearer, 2xx. */
final class AdminApi {
  private static final int[] SUCCESS = {200, 201, 202, 204};

  private final io.flotilla.tools.admin.AdminApi api;

  AdminApi(int httpPort, String token) {
    this.api = new io.flotilla.tools.admin.AdminApi(URI.create("http://127.0.0.1:" + httpPort), token,
        IllegalStateException::new);
  }

  JsonNode get(String path) {
    return api.get(path, "GET " + path, SUCCESS);
  }

  JsonNode post(String path, String json) {
    return api.post(path, Json.readTrusted(json), "POST " + path, SUCCESS);
  }
}
