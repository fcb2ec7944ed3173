package io.flotilla.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.json.Json;
import io.flotilla.core.paging.Page;
import io.flotilla.core.service.TelemetryService;
import io.flotilla.core.telemetry.Aggregate;
import io.flotilla.core.telemetry.FleetBucket;
import io.flotilla.core.telemetry.LatestValue;
import io.flotilla.core.telemetry.LifecycleReport;
import io.flotilla.core.telemetry.RejectedTelemetry;
import io.flotilla.core.telemetry.TelemetryPoint;
import io.flotilla.core.telemetry.TelemetryValue;
import java.util.List;
import java.util.Map;

/** The JSON forms of telemetry in the API. */
final class TelemetryJson {

  private TelemetryJson() {
  }

  static ObjectNode points(Page<TelemetryPoint> page) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    for (TelemetryPoint p : page.items()) {
      ObjectNode n = items.addObject().put("key", p.key()).put("ts", p.time().toString())
          .put("receivedAt", p.receivedAt().toString());
      value(n, "value", p.value());
    }
    page.nextCursor().ifPresent(c -> body.put("nextCursor", c));
    return body;
  }

  static ObjectNode series(List<TelemetryService.Series> series) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("series");
    for (TelemetryService.Series s : series) {
      ObjectNode n = items.addObject().put("key", s.key());
      ArrayNode buckets = n.putArray("buckets");
      for (TelemetryService.Bucket b : s.buckets()) {
        ObjectNode bucket = buckets.addObject().put("start", b.start().toString());
        for (Map.Entry<Aggregate, Double> e : b.values().entrySet()) {
          if (e.getValue() == null) {
            bucket.putNull(e.getKey().wireName());
          } else {
            bucket.put(e.getKey().wireName(), e.getValue());
          }
        }
      }
    }
    return body;
  }

  static ObjectNode latest(List<LatestValue> values) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    for (LatestValue v : values) {
      ObjectNode n = items.addObject().put("deviceId", v.deviceId()).put("key", v.key()).put("ts", v.time().toString());
      value(n, "value", v.value());
    }
    return body;
  }

  static ObjectNode fleet(List<FleetBucket> buckets) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    for (FleetBucket b : buckets) {
      items.addObject().put("group", b.group()).put("start", b.bucketStart().toString()).put("value", b.value())
          .put("devices", b.devices());
    }
    return body;
  }

  static ObjectNode rejected(Page<RejectedTelemetry> page) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    for (RejectedTelemetry r : page.items()) {
      items.addObject().put("id", Long.toString(r.id())).put("deviceId", r.deviceId()).put("profileId", r.profileId())
          .put("transport", r.transport()).put("receivedAt", r.receivedAt().toString()).put("reason", r.reason())
          .put("payload", r.payload()).put("payloadBytes", r.payloadBytes());
    }
    page.nextCursor().ifPresent(c -> body.put("nextCursor", c));
    return body;
  }

  static ObjectNode lifecycle(LifecycleReport r) {
    ObjectNode n = Json.object().put("startedAt", r.startedAt().toString()).put("tookMillis", r.took().toMillis())
        .put("rolledUp", r.rolledUp()).put("rolledUpTo", r.rolledUpTo().toString()).put("compacted", r.compacted());
    ObjectNode expired = n.putObject("expired");
    r.expired().forEach((tier, count) -> expired.put(tier.name().toLowerCase(java.util.Locale.ROOT), count));
    if (r.error() != null) {
      n.put("error", r.error());
    }
    return n;
  }

  private static void value(ObjectNode n, String field, TelemetryValue value) {
    switch (value) {
      case TelemetryValue.Num num -> n.put(field, num.value());
      case TelemetryValue.Bool b -> n.put(field, b.value());
      case TelemetryValue.Text t -> n.put(field, t.value());
      case TelemetryValue.Json j -> n.set(field, Json.readTrusted(j.json()));
    }
  }
}
