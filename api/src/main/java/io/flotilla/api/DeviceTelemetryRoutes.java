package io.flotilla.api;

import io.flotilla.core.error.FieldError;
import io.flotilla.core.error.UnauthorizedException;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.Json;
import io.flotilla.core.service.DeviceAuthentication;
import io.flotilla.core.service.TelemetryIngest;
import io.flotilla.core.telemetry.TelemetryBusException;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /device/v1/telemetry}: telemetry from devices that cannot hold an MQTT connection. The
 * device proves itself like on MQTT: with the client certificate registered to it (HTTPS port), or with
 * HTTP Basic (its id and device token) in place of the MQTT user name and password. The answer comes once
 * the points are durable, or says why they were refused.
 */
final class DeviceTelemetryRoutes {

  /** How long a request waits for its points to become durable before the device is told to retry. */
  static final long DURABLE_WAIT_SECONDS = 30;

  private final DeviceAuthentication authentication;
  private final TelemetryIngest ingest;
  private final ApiLimits limits;

  DeviceTelemetryRoutes(DeviceAuthentication authentication, TelemetryIngest ingest, ApiLimits limits) {
    this.authentication = authentication;
    this.ingest = ingest;
    this.limits = limits;
  }

  List<Route> routes() {
    Routes r = new Routes("device");
    r.post("/device/v1/telemetry", "postDeviceTelemetry",
        "Send telemetry as a device (HTTP Basic with the device id and a device token, or on the HTTPS port the"
            + " device's client certificate): one reading object or an array of them; answered once durable",
        this::post)
        .status(200).request("TelemetryPayload").response("TelemetryAccepted").device().add();
    return r.all();
  }

  private void post(Context ctx) throws InterruptedException {
    DeviceAuthentication.Result.Accepted device = authenticate(authentication, ctx);
    if (ingest.saturated()) {
      unavailable(ctx, "the telemetry pipeline is busy; send again shortly");
      return;
    }
    byte[] payload = Bodies.bytes(ctx, limits.maxBodyBytes());
    TelemetryIngest.Outcome outcome = ingest.ingest(device.tenant(), device.device().value(), device.profile(),
        "http", payload);
    switch (outcome) {
      case TelemetryIngest.Outcome.Refused refused -> throw new ValidationException(refused.rejection().violations()
          .stream().map(v -> new FieldError(v.path(), v.message())).toList());
      case TelemetryIngest.Outcome.Taken taken -> {
        try {
          taken.durable().get(DURABLE_WAIT_SECONDS, TimeUnit.SECONDS);
          Bodies.send(ctx, 200, Json.object().put("points", taken.points()));
        } catch (ExecutionException e) {
          unavailable(ctx, e.getCause() instanceof TelemetryBusException b ? b.getMessage()
              : "the telemetry was not stored; send again");
        } catch (TimeoutException e) {
          unavailable(ctx, "the telemetry store is slow; the points may or may not be stored, send again");
        }
      }
    }
  }

  /**
   * A registered client certificate wins; a certificate the registry does not accept is judged by the Basic
   * credentials beside it, if any (a device may present a certificate of another service), else refused.
   */
  static DeviceAuthentication.Result.Accepted authenticate(DeviceAuthentication authentication, Context ctx) {
    String header = ctx.header("Authorization");
    Optional<X509Certificate> certificate = ClientCertificates.leaf(ctx);
    if (certificate.isPresent()) {
      DeviceAuthentication.Result result = authentication.byCertificate(certificate.get());
      if (result instanceof DeviceAuthentication.Result.Accepted accepted) {
        return accepted;
      }
      if (header == null) {
        ctx.header("WWW-Authenticate", "Basic realm=\"flotilla-devices\"");
        return accepted(result);
      }
    }
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      ctx.header("WWW-Authenticate", "Basic realm=\"flotilla-devices\"");
      throw new UnauthorizedException("send the device id and its device token as HTTP Basic credentials");
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new UnauthorizedException("the Basic credentials are not valid Base64");
    }
    int colon = decoded.indexOf(':');
    if (colon < 1) {
      throw new UnauthorizedException("the Basic credentials must be <device id>:<device token>");
    }
    return accepted(authentication.byToken(decoded.substring(0, colon), decoded.substring(colon + 1)));
  }

  private static DeviceAuthentication.Result.Accepted accepted(DeviceAuthentication.Result result) {
    return switch (result) {
      case DeviceAuthentication.Result.Accepted accepted -> accepted;
      case DeviceAuthentication.Result.Refused refused ->
          throw new UnauthorizedException("device refused: " + refused.refusal().name().toLowerCase(java.util.Locale.ROOT)
              .replace('_', ' '));
    };
  }

  private static void unavailable(Context ctx, String detail) {
    ctx.header("Retry-After", "1");
    Problems.send(ctx, 503, "telemetry-unavailable", "Service unavailable", detail);
  }
}
