package io.flotilla.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.json.Json;
import io.flotilla.core.paging.Page;
import io.flotilla.core.service.DeviceAuthentication;
import io.flotilla.core.service.TwinService;
import io.flotilla.core.twin.Twin;
import io.flotilla.core.twin.TwinChange;
import io.flotilla.core.twin.TwinJson;
import io.flotilla.core.twin.TwinMatch;
import io.javalin.http.Context;
import java.util.List;

/**
 * Device twins: {@code /api/v1/devices/{id}/twin} (the default twin), {@code …/twins/{name}} (named ones), their
 * history, {@code /api/v1/twins?where=…} (devices by twin values) and {@code PATCH /device/v1/twin} (a device
 * reporting over HTTP).
 */
final class TwinRoutes {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final TwinService twins;
  private final DeviceAuthentication authentication;
  private final ApiLimits limits;

  TwinRoutes(TwinService twins, DeviceAuthentication authentication, ApiLimits limits) {
    this.twins = twins;
    this.authentication = authentication;
    this.limits = limits;
  }

  List<Route> routes() {
    Routes r = new Routes("twins");
    r.get("/api/v1/devices/{id}/twin", "getTwin", "Read a device's twin: desired, reported, delta, metadata",
        ctx -> get(ctx, Twin.DEFAULT)).response("Twin").add();
    r.patch("/api/v1/devices/{id}/twin", "patchTwinDesired",
        "Change the twin's desired section with a JSON merge patch ({\"desired\":{…}}; If-Match: the version)",
        ctx -> patch(ctx, Twin.DEFAULT)).request("TwinPatch").response("Twin").add();
    r.get("/api/v1/devices/{id}/twin/history", "getTwinHistory", "The twin's changes, newest first",
        ctx -> history(ctx, Twin.DEFAULT)).response("TwinHistory")
        .query("limit", "integer", "changes per page, 1 to " + MAX_LIMIT + " (default " + DEFAULT_LIMIT + ")")
        .query("cursor", "string", "nextCursor of the previous page").add();
    r.get("/api/v1/devices/{id}/twins", "listTwins", "List a device's twins (the default one always)", this::list)
        .response("TwinList").add();
    r.get("/api/v1/devices/{id}/twins/{name}", "getNamedTwin", "Read one of a device's named twins",
        ctx -> get(ctx, ctx.pathParam("name"))).response("Twin").add();
    r.patch("/api/v1/devices/{id}/twins/{name}", "patchNamedTwinDesired",
        "Change a named twin's desired section with a JSON merge patch (creates the twin on its first patch)",
        ctx -> patch(ctx, ctx.pathParam("name"))).request("TwinPatch").response("Twin").add();
    r.get("/api/v1/devices/{id}/twins/{name}/history", "getNamedTwinHistory", "A named twin's changes, newest first",
        ctx -> history(ctx, ctx.pathParam("name"))).response("TwinHistory")
        .query("limit", "integer", "changes per page, 1 to " + MAX_LIMIT + " (default " + DEFAULT_LIMIT + ")")
        .query("cursor", "string", "nextCursor of the previous page").add();
    r.get("/api/v1/twins", "queryTwins", "List devices by twin values: every where condition must hold",
        this::query).response("TwinQueryResult")
        .repeatableQuery("where", "a condition <desired|reported>.<key>…<op><value>, op one of = != < <= > >=; "
            + "\"…\" or a bare word compares as a string, a number as a number, true/false as a boolean; e.g. "
            + "reported.firmware.version<\"2.0\"")
        .query("name", "string", "the twin to look in (default: default)")
        .query("limit", "integer", "devices per page, 1 to " + MAX_LIMIT + " (default " + DEFAULT_LIMIT + ")")
        .query("cursor", "string", "nextCursor of the previous page").add();
    r.patch("/device/v1/twin", "reportDeviceTwin",
        "Report the device's own twin state as a device (HTTP Basic with the device id and a device token, or on the "
            + "HTTPS port its client certificate): {\"reported\":{…merge patch…},\"version\":N optional}",
        this::report).request("TwinReport").response("TwinReportAccepted")
        .query("name", "string", "a named twin to report to (default: default)").device().add();
    return r.all();
  }

  private void get(Context ctx, String name) {
    Bodies.sendVersioned(ctx, 200, TwinJson.entity(twins.get(Authentication.principal(ctx), ctx.pathParam("id"),
        name)));
  }

  private void patch(Context ctx, String name) {
    Twin twin = twins.patchDesired(Authentication.principal(ctx), ctx.pathParam("id"), name,
        Bodies.object(ctx, limits.maxBodyBytes()), ETags.ifMatch(ctx));
    Bodies.sendVersioned(ctx, 200, TwinJson.entity(twin));
  }

  private void list(Context ctx) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    twins.list(Authentication.principal(ctx), ctx.pathParam("id")).forEach(t -> items.add(TwinJson.summary(t)));
    Bodies.send(ctx, 200, body);
  }

  private void history(Context ctx, String name) {
    Page<TwinChange> page = twins.history(Authentication.principal(ctx), ctx.pathParam("id"), name,
        QueryParams.string(ctx, "cursor"), QueryParams.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT));
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    page.items().forEach(c -> items.add(TwinJson.change(c)));
    page.nextCursor().ifPresent(c -> body.put("nextCursor", c));
    Bodies.send(ctx, 200, body);
  }

  private void query(Context ctx) {
    Page<TwinMatch> page = twins.query(Authentication.principal(ctx),
        QueryParams.string(ctx, "name").orElse(Twin.DEFAULT), ctx.queryParams("where"),
        QueryParams.string(ctx, "cursor"), QueryParams.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT));
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    page.items().forEach(m -> items.addObject().put("deviceId", m.device()).put("name", m.name())
        .put("version", m.version()));
    page.nextCursor().ifPresent(c -> body.put("nextCursor", c));
    Bodies.send(ctx, 200, body);
  }

  private void report(Context ctx) {
    DeviceAuthentication.Result.Accepted device = DeviceTelemetryRoutes.authenticate(authentication, ctx);
    Twin twin = twins.report(device.tenant(), device.device().value(), QueryParams.string(ctx, "name")
        .orElse(Twin.DEFAULT), Bodies.object(ctx, limits.maxBodyBytes()));
    ctx.header("ETag", ETags.of(twin.version()));
    Bodies.send(ctx, 200, Json.object().put("version", twin.version()));
  }
}
