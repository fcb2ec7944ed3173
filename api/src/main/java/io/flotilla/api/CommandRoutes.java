package io.flotilla.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.command.Command;
import io.flotilla.core.command.CommandMode;
import io.flotilla.core.command.CommandStatus;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.Json;
import io.flotilla.core.paging.Page;
import io.flotilla.core.service.CommandService;
import io.javalin.http.Context;
import java.util.List;

/**
 * {@code /api/v1/devices/{id}/commands} and {@code /api/v1/groups/{id}/commands}: send commands to devices, read
 * and cancel them. A direct command answers 200 once the device answered (or it was cancelled) and 504 when it
 * timed out; a queued one answers 202 at once.
 */
final class CommandRoutes {
  private final CommandService commands;
  private final ApiLimits limits;

  CommandRoutes(CommandService commands, ApiLimits limits) {
    this.commands = commands;
    this.limits = limits;
  }

  List<Route> routes() {
    Routes r = new Routes("commands");
    r.post("/api/v1/devices/{id}/commands", "sendCommand", "Send a command to a device: direct (wait for its "
        + "answer: 200, or 504 when timed out) or queued (202, delivered when the device is online)", this::send)
        .status(200).alsoStatus(202, 504).request("CommandSend").response("Command").add();
    r.get("/api/v1/devices/{id}/commands", "listCommands", "List a device's commands, newest first", this::list)
        .query("status", "string", "only commands in this status (queued, sent, delivered, succeeded, failed, "
            + "timed-out, expired, cancelled)")
        .query("limit", "integer", "page size, 1 to 500 (default 50)")
        .query("cursor", "string", "nextCursor of the previous page").response("CommandList").add();
    r.get("/api/v1/devices/{id}/commands/{commandId}", "getCommand", "Read a command with its status and result",
        this::get).response("Command").add();
    r.post("/api/v1/devices/{id}/commands/{commandId}/cancel", "cancelCommand", "Cancel a command that has not "
        + "reached its device (queued or sent)", this::cancel).status(200).response("Command").add();
    r.post("/api/v1/groups/{id}/commands", "sendGroupCommand", "Send a queued command to every device in service of a "
        + "group: one command per device", this::sendToGroup).status(202).request("CommandSend")
        .response("CommandList").add();
    return r.all();
  }

  private void send(Context ctx) {
    Command command = commands.send(Authentication.principal(ctx), ctx.pathParam("id"),
        Bodies.object(ctx, limits.maxBodyBytes()));
    int status = command.mode() == CommandMode.QUEUED ? 202
        : command.status() == CommandStatus.TIMED_OUT ? 504 : 200;
    ctx.header("Location", "/api/v1/devices/" + command.deviceId() + "/commands/" + command.id());
    Bodies.send(ctx, status, EntityJson.command(command));
  }

  private void list(Context ctx) {
    Page<Command> page = commands.list(Authentication.principal(ctx), ctx.pathParam("id"),
        QueryParams.string(ctx, "status"), QueryParams.string(ctx, "cursor"), QueryParams.limit(ctx, 50, 500));
    ObjectNode body = items(page.items());
    page.nextCursor().ifPresent(c -> body.put("nextCursor", c));
    Bodies.send(ctx, 200, body);
  }

  private void get(Context ctx) {
    Bodies.send(ctx, 200, EntityJson.command(commands.get(Authentication.principal(ctx), ctx.pathParam("id"),
        ctx.pathParam("commandId"))));
  }

  private void cancel(Context ctx) {
    Bodies.send(ctx, 200, EntityJson.command(commands.cancel(Authentication.principal(ctx), ctx.pathParam("id"),
        ctx.pathParam("commandId"))));
  }

  private void sendToGroup(Context ctx) {
    List<Command> sent = commands.sendToGroup(Authentication.principal(ctx), ctx.pathParam("id"),
        Bodies.object(ctx, limits.maxBodyBytes()));
    Bodies.send(ctx, 202, items(sent));
  }

  private static ObjectNode items(List<Command> list) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    list.forEach(c -> items.add(EntityJson.command(c)));
    return body;
  }
}
