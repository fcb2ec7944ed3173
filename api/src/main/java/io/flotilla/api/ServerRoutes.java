package io.flotilla.api;

import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Facts about the server that devices need before they hold any credential. */
final class ServerRoutes {
  private final Supplier<Optional<String>> caCertificatePem;

  ServerRoutes(Supplier<Optional<String>> caCertificatePem) {
    this.caCertificatePem = caCertificatePem;
  }

  List<Route> routes() {
    Routes r = new Routes("server");
    r.get("/api/v1/server/ca.pem", "serverCa",
        "The certificate of the CA that issued the server's TLS certificate, for devices to trust (PEM)", this::ca)
        .open().add();
    return r.all();
  }

  private void ca(Context ctx) {
    Optional<String> pem = caCertificatePem.get();
    if (pem.isEmpty()) {
      Problems.send(ctx, 404, "not-found", "Not found", "this server uses a TLS certificate configured by its "
          + "operator; ask them for the CA that issued it");
      return;
    }
    ctx.contentType("application/x-pem-file").result(pem.get());
  }
}
