package io.flotilla.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code seq} readings of one device as the telemetry store holds them, read back through the REST API:
 * every raw point, page by page with the cursor, and the number of points counted by the store itself in
 * day buckets (no paging), so that a point lost by paging cannot pass for a point lost by the server.
 *
 * @param values every stored value of {@code seq}, duplicates included, in the store's order
 * @param pages how many pages the raw points took
 * @param counted the store's own count of the device's {@code seq} points in the range
 */
record StoredSequences(List<Long> values, int pages, long counted) {
  /**
   * Small enough that every device's points span several pages: points without a device time share their
   * millisecond of arrival, and paging must neither skip nor repeat them at a page boundary.
   */
  private static final int PAGE_LIMIT = 250;

  static StoredSequences read(AdminApi api, String deviceId, Instant from, Instant to) {
    String range = "/api/v1/devices/" + deviceId + "/telemetry?key=seq&from=" + from + "&to=" + to;
    List<Long> values = new ArrayList<>();
    int pages = 0;
    String cursor = null;
    do {
      JsonNode page = api.get(range + "&limit=" + PAGE_LIMIT
          + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
      pages++;
      page.path("items").forEach(point -> values.add(point.path("value").asLong()));
      cursor = page.hasNonNull("nextCursor") ? page.path("nextCursor").asText() : null;
    } while (cursor != null);

    long counted = 0;
    for (JsonNode bucket : api.get(range + "&bucket=1d&agg=count").path("series").path(0).path("buckets")) {
      counted += bucket.path("count").asLong();
    }
    return new StoredSequences(List.copyOf(values), pages, counted);
  }

  Set<Long> distinct() {
    return new TreeSet<>(values);
  }

  /** Points stored more than once: QoS 1 is at least once, so a resent message may be stored again. */
  int duplicates() {
    return values.size() - distinct().size();
  }
}
