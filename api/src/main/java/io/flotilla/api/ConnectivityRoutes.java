package io.flotilla.api;

import io.flotilla.core.json.EntityJson;
import io.flotilla.core.service.ConnectivityService;
import io.javalin.http.Context;
import java.util.List;

/** {@code /api/v1/devices/{id}/connection}: whether a device is connected, as the gateway reports it. */
final class ConnectivityRoutes {
  private final ConnectivityService connectivity;

  ConnectivityRoutes(ConnectivityService connectivity) {
    this.connectivity = connectivity;
  }

  List<Route> routes() {
    Routes r = new Routes("devices");
    r.get("/api/v1/devices/{id}/connection", "getDeviceConnection",
        "Read whether a device is connected: since when, last seen, from where, and why it last disconnected",
        this::get).response("DeviceConnection").add();
    return r.all();
  }

  private void get(Context ctx) {
    Bodies.send(ctx, 200, EntityJson.connection(connectivity.get(Authentication.principal(ctx), ctx.pathParam("id"))));
  }
}
