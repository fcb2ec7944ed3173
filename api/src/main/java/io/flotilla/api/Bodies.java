package io.flotilla.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.json.Json;
import io.javalin.http.Context;
import java.io.IOException;

/** Reads request bodies within the endpoint's size limit, and writes JSON responses. */
final class Bodies {
  private Bodies() {}

  static byte[] bytes(Context ctx, long limit) {
    String declared = ctx.header("Content-Length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.trim()) > limit) {
          throw new PayloadTooLargeException(limit);
        }
      } catch (NumberFormatException e) {
        throw new BadRequestException("the Content-Length header is not a number");
      }
    }
    byte[] body = ctx.bodyAsBytes();
    if (body.length > limit) {
      throw new PayloadTooLargeException(limit);
    }
    return body;
  }

  static JsonNode json(Context ctx, long limit) {
    byte[] body = bytes(ctx, limit);
    if (body.length == 0) {
      throw new BadRequestException("the request needs a JSON body");
    }
    try {
      return Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BadRequestException("the body is not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
              + e.getLocation().getColumnNr()));
    } catch (IOException e) {
      throw new BadRequestException("the body could not be read: " + e.getMessage());
    }
  }

  static ObjectNode object(Context ctx, long limit) {
    JsonNode node = json(ctx, limit);
    if (!node.isObject()) {
      throw new BadRequestException("the body must be a JSON object, not " + node.getNodeType().name().toLowerCase(
          java.util.Locale.ROOT));
    }
    return (ObjectNode) node;
  }

  static void send(Context ctx, int status, JsonNode body) {
    ctx.status(status).contentType("application/json").result(Json.write(body));
  }

  /** Sends an entity with its version as a strong ETag. */
  static void sendVersioned(Context ctx, int status, ObjectNode entity) {
    ctx.header("ETag", ETags.of(entity.path("version").asLong()));
    send(ctx, status, entity);
  }
}
