package io.flotilla.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.command.AnswerRefusal;
import io.flotilla.core.command.Command;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.Json;
import io.flotilla.core.service.CommandDispatcher;
import io.flotilla.core.service.DeviceAuthentication;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Commands for devices that speak HTTP (HTTP Basic with the device id and token, or the device's client certificate
 * on the HTTPS port): {@code GET /device/v1/commands} hands over the commands waiting for the device (each marked
 * delivered), {@code POST /device/v1/commands/{commandId}/response} takes its answer, with the same checks and
 * refusals as over MQTT.
 */
final class DeviceCommandRoutes {
  private static final long WAIT_SECONDS = 30;

  private final DeviceAuthentication authentication;
  private final CommandDispatcher dispatcher;
  private final ApiLimits limits;

  DeviceCommandRoutes(DeviceAuthentication authentication, CommandDispatcher dispatcher, ApiLimits limits) {
    this.authentication = authentication;
    this.dispatcher = dispatcher;
    this.limits = limits;
  }

  List<Route> routes() {
    Routes r = new Routes("device");
    r.get("/device/v1/commands", "fetchDeviceCommands", "Fetch the commands waiting for this device, oldest first "
        + "(as a device: HTTP Basic or client certificate); each is marked delivered", this::fetch)
        .response("DeviceCommandList").device().add();
    r.post("/device/v1/commands/{commandId}/response", "answerDeviceCommand", "Answer a command as the device it was "
        + "sent to: {status: succeeded|failed, result, message}", this::answer).status(200)
        .request("DeviceCommandAnswer").response("DeviceCommandAnswered").device().add();
    return r.all();
  }

  private void fetch(Context ctx) throws InterruptedException {
    DeviceAuthentication.Result.Accepted device = DeviceTelemetryRoutes.authenticate(authentication, ctx);
    List<Command> handed;
    try {
      handed = dispatcher.handOver(device.tenant(), device.device().value()).toCompletableFuture()
          .get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      unavailable(ctx);
      return;
    }
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    handed.forEach(c -> items.add(EntityJson.commandForDevice(c)));
    Bodies.send(ctx, 200, body);
  }

  private void answer(Context ctx) throws InterruptedException {
    DeviceAuthentication.Result.Accepted device = DeviceTelemetryRoutes.authenticate(authentication, ctx);
    byte[] payload = Bodies.bytes(ctx, limits.maxBodyBytes());
    String commandId = ctx.pathParam("commandId");
    if (!Command.ID.matcher(commandId).matches()) {
      Problems.send(ctx, 404, "unknown-command", "Not found", "'" + commandId + "' is not a command id");
      return;
    }
    Optional<AnswerRefusal> refusal;
    try {
      refusal = dispatcher.answer(device.tenant(), device.device().value(), commandId, Optional.empty(), payload)
          .toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      unavailable(ctx);
      return;
    }
    if (refusal.isPresent()) {
      AnswerRefusal r = refusal.get();
      int status = r.code() == 400 ? 422 : r.code();
      Problems.send(ctx, status, r.error(), Problems.title(status), r.message());
      return;
    }
    Bodies.send(ctx, 200, Json.object().put("id", commandId).put("taken", true));
  }

  private static void unavailable(Context ctx) {
    ctx.header("Retry-After", "1");
    Problems.send(ctx, 503, "commands-unavailable", "Service unavailable", "the command store did not answer in "
        + "time; send again");
  }
}
