package io.flotilla.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.broker.ClientSession;
import io.flotilla.core.json.Json;
import io.flotilla.core.service.SessionAdminService;
import io.javalin.http.Context;
import java.util.List;

/** {@code /api/v1/mqtt/sessions}: the tenant's MQTT sessions, and disconnecting one. */
final class SessionRoutes {
  private final SessionAdminService sessions;

  SessionRoutes(SessionAdminService sessions) {
    this.sessions = sessions;
  }

  List<Route> routes() {
    Routes r = new Routes("mqtt");
    r.get("/api/v1/mqtt/sessions", "listMqttSessions", "The tenant's MQTT sessions, connected or persistent",
        this::list).response("MqttSessionList").add();
    r.delete("/api/v1/mqtt/sessions/{clientId}", "disconnectMqttSession",
        "Close a client's connection; with discardSession=true also forget its persistent session", this::disconnect)
        .query("discardSession", "boolean", "also delete the persistent session (default false)").add();
    return r.all();
  }

  private void list(Context ctx) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    for (ClientSession s : sessions.sessions(Authentication.principal(ctx))) {
      ObjectNode n = items.addObject().put("clientId", s.clientId()).put("connected", s.connected());
      s.protocol().ifPresent(p -> n.put("protocol", p));
      s.clientAddress().ifPresent(a -> n.put("clientAddress", a));
      s.connectedSince().ifPresent(t -> n.put("connectedSince", t.toString()));
      n.put("subscriptions", s.subscriptions()).put("queuedMessages", s.queuedMessages());
    }
    Bodies.send(ctx, 200, body);
  }

  private void disconnect(Context ctx) {
    boolean discard = QueryParams.bool(ctx, "discardSession").orElse(false);
    sessions.disconnect(Authentication.principal(ctx), ctx.pathParam("clientId"), discard);
    ctx.status(204);
  }
}
