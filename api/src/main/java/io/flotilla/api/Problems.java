package io.flotilla.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.ca.CaKeyUnavailableException;
import io.flotilla.core.error.ConflictException;
import io.flotilla.core.error.DomainException;
import io.flotilla.core.error.FieldError;
import io.flotilla.core.error.ForbiddenException;
import io.flotilla.core.error.LimitExceededException;
import io.flotilla.core.error.NotFoundException;
import io.flotilla.core.error.RowError;
import io.flotilla.core.error.RowsRejectedException;
import io.flotilla.core.error.StaleVersionException;
import io.flotilla.core.error.UnauthorizedException;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.Json;
import io.flotilla.core.store.StoreException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns every failure into an RFC 9457 problem document with the status HTTP gives it. */
final class Problems {
  static final String TYPE_BASE = "https://flotilla.dev/problems/";
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

  private Problems() {}

  static void install(Javalin app) {
    app.exception(DomainException.class, (e, ctx) -> domain(e, ctx));
    app.exception(BadRequestException.class, (e, ctx) -> send(ctx, 400, "bad-request", "Bad request", e.getMessage()));
    app.exception(PayloadTooLargeException.class,
        (e, ctx) -> send(ctx, 413, "payload-too-large", "Payload too large", e.getMessage()));
    app.exception(StoreException.class, (e, ctx) -> {
      LOG.error("A request failed because the store is unavailable: {}", e.getMessage(), e);
      ctx.header("Retry-After", "5");
      send(ctx, 503, "store-unavailable", "Service unavailable", "the registry store is unavailable; retry shortly");
    });
    app.exception(CaKeyUnavailableException.class, (e, ctx) -> {
      LOG.error("A request needed a tenant CA's key, which does not open: {}", e.getMessage());
      send(ctx, 503, "ca-key-unavailable", "Service unavailable", "the tenant CA's key cannot be opened with this "
          + "server's master key; the operator must start the server with the master key it was sealed with");
    });
    app.exception(HttpResponseException.class, (e, ctx) -> send(ctx, e.getStatus(), slug(e.getStatus()),
        title(e.getStatus()), e.getMessage()));
    app.exception(Exception.class, (e, ctx) -> {
      LOG.error("An unexpected error broke {} {}", ctx.method(), ctx.path(), e);
      send(ctx, 500, "internal", "Internal server error", "an unexpected error occurred; it has been logged");
    });
    app.error(404, ctx -> {
      if (ctx.result() == null || ctx.result().isEmpty() || !isProblem(ctx)) {
        send(ctx, 404, "not-found", "Not found", "no resource at " + ctx.path());
      }
    });
    app.error(405, ctx -> send(ctx, 405, "method-not-allowed", "Method not allowed",
        ctx.method() + " is not supported on " + ctx.path()));
  }

  private static boolean isProblem(Context ctx) {
    String type = ctx.res().getContentType();
    return type != null && type.startsWith("application/problem+json");
  }

  private static void domain(DomainException e, Context ctx) {
    ObjectNode problem = problem(ctx, status(e), e.type(), title(status(e)), e.getMessage());
    if (e instanceof ValidationException v) {
      ArrayNode errors = problem.putArray("errors");
      for (FieldError f : v.errors()) {
        errors.addObject().put("field", f.field()).put("message", f.message());
      }
    } else if (e instanceof RowsRejectedException r) {
      problem.put("totalRows", r.total());
      ArrayNode rows = problem.putArray("rows");
      for (RowError row : r.rows()) {
        rows.addObject().put("row", row.row()).put("id", row.id()).put("field", row.field())
            .put("message", row.message());
      }
    } else if (e instanceof UnauthorizedException && ctx.res().getHeader("WWW-Authenticate") == null) {
      // A door with its own scheme (devices: Basic) has set its challenge already.
      ctx.header("WWW-Authenticate", "Bearer realm=\"flotilla\"");
    }
    write(ctx, problem);
  }

  static int status(DomainException e) {
    return switch (e) {
      case NotFoundException n -> 404;
      case ConflictException c -> 409;
      case ForbiddenException f -> 403;
      case UnauthorizedException u -> 401;
      case StaleVersionException s -> 412;
      case ValidationException v -> 422;
      case RowsRejectedException r -> 422;
      case LimitExceededException l -> 413;
    };
  }

  static void send(Context ctx, int status, String type, String title, String detail) {
    write(ctx, problem(ctx, status, type, title, detail));
  }

  private static ObjectNode problem(Context ctx, int status, String type, String title, String detail) {
    ctx.status(status);
    return Json.object().put("type", TYPE_BASE + type).put("title", title).put("status", status)
        .put("detail", detail).put("instance", ctx.path());
  }

  private static void write(Context ctx, ObjectNode problem) {
    ctx.contentType("application/problem+json").result(Json.write(problem));
  }

  private static String slug(int status) {
    return switch (status) {
      case 400 -> "bad-request";
      case 413 -> "payload-too-large";
      default -> "http-" + status;
    };
  }

  /** The title a status's problem document carries. */
  static String title(int status) {
    return switch (status) {
      case 400 -> "Bad request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not found";
      case 409 -> "Conflict";
      case 412 -> "Precondition failed";
      case 413 -> "Payload too large";
      case 415 -> "Unsupported media type";
      case 422 -> "Unprocessable content";
      default -> "HTTP " + status;
    };
  }
}
