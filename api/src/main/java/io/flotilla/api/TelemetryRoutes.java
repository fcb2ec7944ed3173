package io.flotilla.api;

import io.flotilla.core.json.Json;
import io.flotilla.core.service.TelemetryLifecycle;
import io.flotilla.core.service.TelemetryService;
import io.flotilla.core.telemetry.Aggregate;
import io.flotilla.core.telemetry.TelemetryStore;
import io.javalin.http.Context;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/v1/devices/{id}/telemetry} and {@code /api/v1/telemetry/…}: stored points, bucketed
 * aggregates, latest values, fleet aggregates, the dead-letter list, deletion, export and the
 * lifecycle job's last run.
 */
final class TelemetryRoutes {
  static final int DEFAULT_LIMIT = 1000;
  static final int MAX_LIMIT = 10_000;

  private final TelemetryService telemetry;
  private final TelemetryLifecycle lifecycle;

  TelemetryRoutes(TelemetryService telemetry, TelemetryLifecycle lifecycle) {
    this.telemetry = telemetry;
    this.lifecycle = lifecycle;
  }

  List<Route> routes() {
    Routes r = new Routes("telemetry");
    r.get("/api/v1/devices/{id}/telemetry", "getDeviceTelemetry",
        "Read a device's stored points in a time range, or their aggregates over time buckets when 'bucket' is"
            + " given", this::points)
        .repeatableQuery("key", "only this key (repeat for several); all keys when absent")
        .query("from", "string", "ISO-8601 instant, inclusive (default: 24 hours before 'to')")
        .query("to", "string", "ISO-8601 instant, exclusive (default: now)")
        .query("bucket", "string", "bucket size as ISO-8601 duration or 30s/5m/1h/1d; returns aggregates")
        .query("agg", "string", "comma-separated: avg,min,max,sum,count,first,last (default avg)")
        .query("tz", "string", "time zone buckets align to, e.g. Europe/Berlin (default UTC)")
        .query("fill", "string", "empty buckets: none (default), null, zero or previous")
        .query("limit", "integer", "raw points per page, 1 to 10000 (default 1000)")
        .query("cursor", "string", "nextCursor of the previous page")
        .response("TelemetryResult").add();
    r.get("/api/v1/devices/{id}/telemetry/latest", "getDeviceLatestTelemetry",
        "Read the newest value of each key of a device", this::latestOfDevice)
        .repeatableQuery("key", "only this key (repeat for several)")
        .response("LatestValues").add();
    r.delete("/api/v1/devices/{id}/telemetry", "deleteDeviceTelemetry",
        "Delete every stored point, rollup and latest value of a device", this::deleteDevice)
        .status(200).response("TelemetryDeleted").add();
    r.get("/api/v1/telemetry/latest", "getFleetLatestTelemetry",
        "Read the newest values of many devices at once, chosen by group, profile, status or tags", this::latestOfFleet)
        .query("group", "string", "devices of this group").query("profile", "string", "devices of this profile")
        .query("status", "string", "devices in this status").repeatableQuery("tag", "key:value a device must have")
        .repeatableQuery("key", "only this key (repeat for several)")
        .response("LatestValues").add();
    r.get("/api/v1/telemetry/fleet", "getFleetAggregate",
        "Aggregate one key over many devices per group (a device tag) and time bucket", this::fleet)
        .query("key", "string", "the numeric key (required)")
        .query("agg", "string", "avg, min, max, sum, count, first or last (default avg)")
        .query("groupBy", "string", "device tag whose value groups the devices (required)")
        .query("group", "string", "devices of this group").query("profile", "string", "devices of this profile")
        .repeatableQuery("tag", "key:value a device must have")
        .query("from", "string", "ISO-8601 instant, inclusive").query("to", "string", "ISO-8601 instant, exclusive")
        .query("bucket", "string", "bucket size (default 1h)").query("tz", "string", "time zone (default UTC)")
        .response("FleetAggregate").add();
    r.get("/api/v1/telemetry/rejected", "listRejectedTelemetry",
        "List telemetry payloads rejected at the door, newest first, with the reason", this::rejected)
        .query("deviceId", "string", "only this device's")
        .query("limit", "integer", "page size, 1 to 1000 (default 100)")
        .query("cursor", "string", "nextCursor of the previous page")
        .response("RejectedTelemetryPage").add();
    r.post("/api/v1/telemetry/exports", "exportTelemetry",
        "Write raw points of a time range (one device or the whole tenant) to a Parquet file on the server",
        this::export)
        .query("deviceId", "string", "only this device's points")
        .query("from", "string", "ISO-8601 instant, inclusive (required)")
        .query("to", "string", "ISO-8601 instant, exclusive (required)")
        .response("TelemetryExport").add();
    r.get("/api/v1/telemetry/lifecycle", "getTelemetryLifecycle",
        "Read what the last run of the rollup and retention job did", this::lifecycle)
        .response("TelemetryLifecycle").add();
    return r.all();
  }

  private void points(Context ctx) {
    String device = ctx.pathParam("id");
    Instant to = QueryParams.instant(ctx, "to").orElseGet(Instant::now);
    Instant from = QueryParams.instant(ctx, "from").orElse(to.minus(Duration.ofDays(1)));
    Set<String> keys = new LinkedHashSet<>(ctx.queryParams("key"));
    Optional<String> bucket = QueryParams.string(ctx, "bucket");
    if (bucket.isEmpty()) {
      Bodies.send(ctx, 200, TelemetryJson.points(telemetry.raw(Authentication.principal(ctx), device, keys, from, to,
          QueryParams.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT), QueryParams.string(ctx, "cursor"))));
      return;
    }
    Bodies.send(ctx, 200, TelemetryJson.series(telemetry.buckets(Authentication.principal(ctx), device, keys, from, to,
        duration("bucket", bucket.get()), zone(ctx), aggregates(ctx), fill(ctx))));
  }

  private void latestOfDevice(Context ctx) {
    Bodies.send(ctx, 200, TelemetryJson.latest(telemetry.latest(Authentication.principal(ctx), ctx.pathParam("id"),
        new LinkedHashSet<>(ctx.queryParams("key")))));
  }

  private void latestOfFleet(Context ctx) {
    var request = DeviceRoutes.listRequest(ctx, QueryParams.string(ctx, "group"));
    Bodies.send(ctx, 200, TelemetryJson.latest(telemetry.latest(Authentication.principal(ctx), request.filter(),
        request.group(), new LinkedHashSet<>(ctx.queryParams("key")))));
  }

  private void fleet(Context ctx) {
    var request = DeviceRoutes.listRequest(ctx, QueryParams.string(ctx, "group"));
    String key = QueryParams.string(ctx, "key").orElseThrow(() -> new BadRequestException("query parameter 'key' is required"));
    String groupBy = QueryParams.string(ctx, "groupBy")
        .orElseThrow(() -> new BadRequestException("query parameter 'groupBy' is required (a device tag)"));
    Set<Aggregate> aggs = aggregates(ctx);
    if (aggs.size() != 1) {
      throw new BadRequestException("query parameter 'agg' must name one aggregate for a fleet query");
    }
    Instant to = QueryParams.instant(ctx, "to").orElseGet(Instant::now);
    Instant from = QueryParams.instant(ctx, "from").orElse(to.minus(Duration.ofDays(1)));
    Duration bucket = duration("bucket", QueryParams.string(ctx, "bucket").orElse("1h"));
    Bodies.send(ctx, 200, TelemetryJson.fleet(telemetry.fleet(Authentication.principal(ctx), request.filter(),
        request.group(), groupBy, key, aggs.iterator().next(), from, to, bucket, zone(ctx))));
  }

  private void rejected(Context ctx) {
    Bodies.send(ctx, 200, TelemetryJson.rejected(telemetry.rejected(Authentication.principal(ctx),
        QueryParams.string(ctx, "deviceId"), QueryParams.limit(ctx, 100, 1000), QueryParams.string(ctx, "cursor"))));
  }

  private void deleteDevice(Context ctx) {
    long deleted = telemetry.deleteDeviceTelemetry(Authentication.principal(ctx), ctx.pathParam("id"));
    Bodies.send(ctx, 200, Json.object().put("pointsDeleted", deleted));
  }

  private void export(Context ctx) {
    Instant from = QueryParams.instant(ctx, "from")
        .orElseThrow(() -> new BadRequestException("query parameter 'from' is required"));
    Instant to = QueryParams.instant(ctx, "to")
        .orElseThrow(() -> new BadRequestException("query parameter 'to' is required"));
    TelemetryStore.ExportedFile file = telemetry.export(Authentication.principal(ctx),
        QueryParams.string(ctx, "deviceId"), from, to);
    Bodies.send(ctx, 201, Json.object().put("file", file.file().toString()).put("points", file.points()));
  }

  private void lifecycle(Context ctx) {
    Authentication.principal(ctx).require(io.flotilla.core.access.Permission.REGISTRY_READ);
    Bodies.send(ctx, 200, lifecycle.lastRun().map(TelemetryJson::lifecycle)
        .orElseGet(() -> Json.object().put("startedAt", (String) null)));
  }

  private static Set<Aggregate> aggregates(Context ctx) {
    Set<Aggregate> out = EnumSet.noneOf(Aggregate.class);
    for (String name : QueryParams.string(ctx, "agg").orElse("avg").split(",")) {
      try {
        out.add(Aggregate.valueOf(name.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new BadRequestException("query parameter 'agg': '" + name + "' is not one of avg, min, max, sum, count,"
            + " first, last");
      }
    }
    return out;
  }

  private static TelemetryService.Fill fill(Context ctx) {
    String value = QueryParams.string(ctx, "fill").orElse("none");
    try {
      return TelemetryService.Fill.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("query parameter 'fill' must be none, null, zero or previous, got '" + value + "'");
    }
  }

  private static ZoneId zone(Context ctx) {
    String value = QueryParams.string(ctx, "tz").orElse("UTC");
    try {
      return ZoneId.of(value);
    } catch (DateTimeException e) {
      throw new BadRequestException("query parameter 'tz' must be a time zone such as Europe/Berlin or +05:30, got '"
          + value + "'");
    }
  }

  /** 30s, 5m, 1h, 1d, or an ISO-8601 duration such as PT15M. */
  static Duration duration(String name, String text) {
    try {
      if (text.startsWith("P") || text.startsWith("p")) {
        return Duration.parse(text);
      }
      long amount = Long.parseLong(text.substring(0, text.length() - 1));
      return switch (text.charAt(text.length() - 1)) {
        case 's' -> Duration.ofSeconds(amount);
        case 'm' -> Duration.ofMinutes(amount);
        case 'h' -> Duration.ofHours(amount);
        case 'd' -> Duration.ofDays(amount);
        default -> throw new NumberFormatException();
      };
    } catch (RuntimeException e) {
      throw new BadRequestException("query parameter '" + name + "' must be a duration such as 30s, 5m, 1h, 1d or"
          + " PT15M, got '" + text + "'");
    }
  }
}
