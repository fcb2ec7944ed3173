package io.flotilla.tools.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Registers the simulated fleet through the REST API with an administrator's token: the device profile
 * (kept if it exists), the devices not registered yet (bulk import, 10,000 per call), and a new device
 * token for each device (many requests in parallel).
 */
final class FleetRegistration {
  static final int IMPORT_BATCH = 10_000;
  private static final int PARALLEL_TOKENS = 16;
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI base;
  private final String adminToken;

  FleetRegistration(URI base, String adminToken) {
    this.base = base;
    this.adminToken = adminToken;
  }

  void ensureProfile(String id, String telemetrySchema) {
    ObjectNode body = Json.object().put("id", id).put("name", "Simulated devices");
    body.set("telemetrySchema", Json.readTrusted(telemetrySchema));
    send(post("/api/v1/device-profiles", body), "create the device profile " + id, 201, 409);
  }

  /** Registers those of {@code ids} that do not exist yet, of {@code profile}; returns how many were new. */
  int ensureDevices(List<String> ids, String prefix, String profile) {
    Set<String> existing = existingIds(prefix);
    List<String> missing = ids.stream().filter(id -> !existing.contains(id)).toList();
    for (int from = 0; from < missing.size(); from += IMPORT_BATCH) {
      ArrayNode devices = Json.array();
      for (String id : missing.subList(from, Math.min(missing.size(), from + IMPORT_BATCH))) {
        devices.addObject().put("id", id).put("profile", profile).putObject("tags").put("simulated", "true");
      }
      send(post("/api/v1/devices/bulk", devices), "register " + devices.size() + " devices", 201);
    }
    return missing.size();
  }

  private Set<String> existingIds(String prefix) {
    Set<String> ids = new HashSet<>();
    String cursor = null;
    do {
      JsonNode page = send(get("/api/v1/devices?limit=1000&idPrefix=" + encode(prefix)
          + (cursor == null ? "" : "&cursor=" + encode(cursor))), "list the simulated devices", 200);
      page.path("items").forEach(d -> ids.add(d.path("id").asText()));
      cursor = page.hasNonNull("nextCursor") ? page.path("nextCursor").asText() : null;
    } while (cursor != null);
    return ids;
  }

  /** A new device token for each device, in the order given; {@code progress} hears the count done so far. */
  List<String> issueTokens(List<String> ids, IntConsumer progress) {
    String[] tokens = new String[ids.size()];
    Semaphore parallel = new Semaphore(PARALLEL_TOKENS);
    AtomicInteger done = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>(ids.size());
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < ids.size(); i++) {
        int index = i;
        parallel.acquireUninterruptibly();
        futures.add(threads.submit(() -> {
          try {
            tokens[index] = send(post("/api/v1/devices/" + ids.get(index) + "/credentials",
                Json.object().put("type", "token")), "issue a token to " + ids.get(index), 201).path("token").asText();
            progress.accept(done.incrementAndGet());
          } finally {
            parallel.release();
          }
        }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while issuing device tokens", e);
        }
      }
    }
    return List.of(tokens);
  }

  private HttpRequest post(String path, JsonNode body) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
        .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8)).build();
  }

  private HttpRequest get(String pathAndQuery) {
    return HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(TIMEOUT)
        .header("Authorization", "Bearer " + adminToken).GET().build();
  }

  private JsonNode send(HttpRequest request, String what, int... expected) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException e) {
      throw new SimulationException("cannot reach the Flotilla server at " + base + " to " + what
          + ": is it running? (start it with ./flotilla server, or point --server at it)", e);
    } catch (IOException e) {
      throw new SimulationException("cannot " + what + " through " + base + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SimulationException("interrupted while trying to " + what, e);
    }
    for (int status : expected) {
      if (response.statusCode() == status) {
        return response.body().isBlank() ? Json.object() : Json.readTrusted(response.body());
      }
    }
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw new SimulationException("the server refused the admin token (" + response.statusCode() + ") when trying to "
          + what + "; pass a system or tenant admin token with --token");
    }
    throw new SimulationException("cannot " + what + ": the server answered " + response.statusCode() + " "
        + response.body().strip());
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
