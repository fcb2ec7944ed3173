package io.flotilla.tools.simulate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.json.Json;
import io.flotilla.tools.admin.AdminApi;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Registers the simulated fleet through the REST API with an administrator's token: the device profile
 * (kept if it exists), the devices not registered yet (bulk import), and a new device token for each device
 * (many requests in parallel). A failure is a {@link SimulationException} saying what could not be done.
 */
final class FleetRegistration {
  private static final int PARALLEL_TOKENS = 16;

  private final AdminApi api;

  FleetRegistration(URI base, String adminToken) {
    this.api = new AdminApi(base, adminToken, SimulationException::new);
  }

  void ensureProfile(String id, String telemetrySchema) {
    ObjectNode body = Json.object().put("id", id).put("name", "Simulated devices");
    body.set("telemetrySchema", Json.readTrusted(telemetrySchema));
    api.post("/api/v1/device-profiles", body, "create the device profile " + id, 201, 409);
  }

  /** Registers those of {@code ids} that do not exist yet, of {@code profile}; returns how many were new. */
  int ensureDevices(List<String> ids, String prefix, String profile) {
    Set<String> existing = api.deviceIds(prefix);
    List<String> missing = ids.stream().filter(id -> !existing.contains(id)).toList();
    api.importDevices(missing, profile, Map.of("simulated", "true"));
    return missing.size();
  }

  /** A new device token for each device, in the order given; {@code progress} hears the count done so far. */
  List<String> issueTokens(List<String> ids, IntConsumer progress) {
    return api.issueTokens(ids, PARALLEL_TOKENS, progress);
  }
}
