package io.flotilla.tools.admin;

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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Flotilla's REST API as the tools use it with an administrator's bearer token: the benchmarks, the simulator and
 * their tests. Each call names what it does and the statuses it expects; any other answer, or no answer, becomes
 * the caller's kind of exception ({@link Failure}) with a sentence saying what could not be done and why.
 */
public final class AdminApi {
  /** Devices registered per bulk import call (the API's limit per request). */
  public static final int IMPORT_BATCH = 10_000;
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  /** Makes the exception a failed call is reported with. */
  @FunctionalInterface
  public interface Failure {
    RuntimeException of(String message, Throwable cause);
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI base;
  private final String adminToken;
  private final Failure failure;

  public AdminApi(URI base, String adminToken, Failure failure) {
    this.base = base;
    this.adminToken = adminToken;
    this.failure = failure;
  }

  public JsonNode get(String pathAndQuery, String what, int... expected) {
    return expect(call(request(pathAndQuery).GET().build(), what), what, expected);
  }

  public JsonNode post(String path, JsonNode body, String what, int... expected) {
    return expect(call(request(path).POST(json(body)).build(), what), what, expected);
  }

  public JsonNode patch(String path, JsonNode body, String what, int... expected) {
    return expect(call(request(path).method("PATCH", json(body)).build(), what), what, expected);
  }

  /** A GET whose answer is not JSON (Prometheus text, PEM): the body of a 200. */
  public String getText(String path, String what) {
    HttpResponse<String> response = call(request(path).GET().build(), what);
    refuseUnless(response, what, 200);
    return response.body();
  }

  /** Registers devices of {@code profile} with these tags, {@link #IMPORT_BATCH} per call. */
  public void importDevices(List<String> ids, String profile, Map<String, String> tags) {
    for (int from = 0; from < ids.size(); from += IMPORT_BATCH) {
      ArrayNode devices = Json.array();
      for (String id : ids.subList(from, Math.min(ids.size(), from + IMPORT_BATCH))) {
        ObjectNode tagNode = devices.addObject().put("id", id).put("profile", profile).putObject("tags");
        tags.forEach(tagNode::put);
      }
      post("/api/v1/devices/bulk", devices, "register " + devices.size() + " devices", 201);
    }
  }

  /** The ids of the devices whose id starts with {@code prefix}, every page read. */
  public Set<String> deviceIds(String prefix) {
    Set<String> ids = new HashSet<>();
    String cursor = null;
    do {
      JsonNode page = get("/api/v1/devices?limit=1000&idPrefix=" + encode(prefix)
          + (cursor == null ? "" : "&cursor=" + encode(cursor)), "list the devices starting " + prefix, 200);
      page.path("items").forEach(d -> ids.add(d.path("id").asText()));
      cursor = page.hasNonNull("nextCursor") ? page.path("nextCursor").asText() : null;
    } while (cursor != null);
    return ids;
  }

  /**
   * A new device token for each device, in the order given, {@code parallel} requests at a time;
   * {@code progress} hears the count done so far.
   */
  public List<String> issueTokens(List<String> ids, int parallel, IntConsumer progress) {
    String[] tokens = new String[ids.size()];
    Semaphore inFlight = new Semaphore(parallel);
    AtomicInteger done = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>(ids.size());
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < ids.size(); i++) {
        int index = i;
        inFlight.acquireUninterruptibly();
        futures.add(threads.submit(() -> {
          try {
            tokens[index] = post("/api/v1/devices/" + encode(ids.get(index)) + "/credentials",
                Json.object().put("type", "token"), "issue a token to device " + ids.get(index), 201)
                .path("token").asText();
            progress.accept(done.incrementAndGet());
          } finally {
            inFlight.release();
          }
        }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          throw e.getCause() instanceof RuntimeException r ? r : failure.of(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw failure.of("interrupted while issuing device tokens", e);
        }
      }
    }
    return List.of(tokens);
  }

  public static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(TIMEOUT)
        .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json");
  }

  private static HttpRequest.BodyPublisher json(JsonNode body) {
    return HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8);
  }

  private HttpResponse<String> call(HttpRequest request, String what) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException e) {
      throw failure.of("cannot reach the Flotilla server at " + base + " to " + what
          + ": is it running? (start it with ./flotilla server)", e);
    } catch (IOException e) {
      throw failure.of("cannot " + what + " through " + base + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure.of("interrupted while trying to " + what, e);
    }
  }

  private JsonNode expect(HttpResponse<String> response, String what, int... expected) {
    refuseUnless(response, what, expected);
    return response.body().isBlank() ? Json.object() : Json.readTrusted(response.body());
  }

  private void refuseUnless(HttpResponse<String> response, String what, int... expected) {
    for (int status : expected) {
      if (response.statusCode() == status) {
        return;
      }
    }
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw failure.of("the server refused the admin token (" + response.statusCode() + ") when trying to " + what
          + "; use a system or tenant admin token", null);
    }
    throw failure.of("cannot " + what + ": the REST API answered " + response.statusCode() + " "
        + response.body().strip(), null);
  }
}
