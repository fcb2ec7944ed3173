package io.flotilla.tools.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.access.Principal;
import io.flotilla.core.device.DeviceFilter;
import io.flotilla.core.json.Json;
import io.flotilla.core.service.ProfileService;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A realistic fleet to load: devices {@code dev-000001} onwards, each of one of three profiles, at
 * one of twenty sites, with a model tag and a small attributes object. Device {@code i} has
 * profile {@code i mod 3} and site {@code i mod 20}; as 3 and 20 share no factor, every
 * (profile, site) pair holds exactly 1/60 of a fleet whose size is a multiple of 60.
 */
final class SampleFleet {
  static final List<String> PROFILES = List.of("thermostat", "water-meter", "gateway");
  private static final List<String> MODELS = List.of("TH-200", "WM-5", "GW-1");
  private static final int SITES = 20;

  private SampleFleet() {}

  static void createProfiles(ProfileService profiles, Principal principal) {
    for (String id : PROFILES) {
      ObjectNode body = Json.object().put("id", id).put("name", "Benchmark " + id);
      body.putObject("defaultTwin").putObject("desired").put("reportIntervalSeconds", 60);
      profiles.create(principal, body);
    }
  }

  /** The id of the device with 0-based index {@code index}. */
  static String deviceId(int index) {
    return String.format(Locale.ROOT, "dev-%06d", index + 1);
  }

  /** The import rows of devices {@code from} (inclusive) to {@code to} (exclusive). */
  static List<ObjectNode> rows(int from, int to) {
    List<ObjectNode> rows = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      ObjectNode row = Json.object().put("id", deviceId(i)).put("profile", PROFILES.get(i % PROFILES.size()));
      row.putObject("tags").put("site", site(i % SITES)).put("model", MODELS.get(i % MODELS.size()));
      ObjectNode attributes = row.putObject("attributes")
          .put("firmware", "2.4." + i % 7)
          .put("serial", String.format(Locale.ROOT, "SN%09d", 7_000_000L + i));
      attributes.putObject("location").put("lat", 47.0 + i % 1000 / 1000.0).put("lon", 8.0 + i % 997 / 1000.0);
      rows.add(row);
    }
    return rows;
  }

  /** The devices of the first profile at one site: 1/60 of the fleet. */
  static DeviceFilter oneProfileAtOneSite() {
    return new DeviceFilter(Optional.of(PROFILES.get(0)), Optional.empty(), Map.of("site", site(7)),
        Optional.empty(), Optional.empty(), Optional.empty());
  }

  private static String site(int index) {
    return String.format(Locale.ROOT, "site-%02d", index + 1);
  }
}
