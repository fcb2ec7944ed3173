package io.flotilla.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.access.Principal;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.Json;
import io.flotilla.core.provisioning.ProvisioningJob;
import io.flotilla.core.provisioning.ProvisioningRow;
import io.flotilla.core.service.ProvisioningJobs;
import io.flotilla.core.service.ProvisioningJson;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/v1/provisioning/jobs}: bulk provisioning from a manifest (JSON or CSV) of devices with their CSRs or
 * public keys, worked in the background; its progress, its per-row report (paged JSON or CSV) and cancellation.
 */
final class ProvisioningRoutes {
  static final String CSV = "text/csv";
  private static final Set<String> KEY_COLUMNS = Set.of("csrPem", "publicKeyPem");

  private final ProvisioningJobs jobs;
  private final ApiLimits limits;

  ProvisioningRoutes(ProvisioningJobs jobs, ApiLimits limits) {
    this.jobs = jobs;
    this.limits = limits;
  }

  List<Route> routes() {
    Routes r = new Routes("provisioning");
    r.post("/api/v1/provisioning/jobs", "submitProvisioningJob",
        "Provision up to 10,000 devices with certificates from a manifest (JSON or text/csv); every bad row is "
            + "reported at once and nothing is stored then, else the job runs in the background", this::submit)
        .status(202).request("ProvisioningManifest").response("ProvisioningJob")
        .query("validityDays", "integer", "validity of the certificates (CSV manifests; JSON takes it in the body)")
        .add();
    r.get("/api/v1/provisioning/jobs", "listProvisioningJobs", "The tenant's provisioning jobs, newest first",
        this::list).query("limit", "integer", "at most this many (default 50, at most 1000)")
        .response("ProvisioningJobList").add();
    r.get("/api/v1/provisioning/jobs/{id}", "getProvisioningJob", "A provisioning job's state and counts", this::get)
        .response("ProvisioningJob").add();
    r.get("/api/v1/provisioning/jobs/{id}/report", "provisioningJobReport",
        "The job's rows in order: device, status, certificate (id and PEM) or error; paged JSON, or the whole report "
            + "as CSV with format=csv", this::report)
        .query("after", "integer", "rows after this row number (the previous page's next)")
        .query("limit", "integer", "rows per page (default 100, at most 1000)")
        .query("format", "string", "json (default, application/json) or csv (text/csv, every row)")
        .response("ProvisioningReport").produces(CSV).add();
    r.post("/api/v1/provisioning/jobs/{id}/cancel", "cancelProvisioningJob",
        "Cancel a job: rows not provisioned yet are not; devices provisioned already stay", this::cancel)
        .status(200).response("ProvisioningJob").add();
    return r.all();
  }

  private void submit(Context ctx) {
    Principal principal = Authentication.principal(ctx);
    String contentType = Optional.ofNullable(ctx.contentType()).orElse("").toLowerCase(Locale.ROOT);
    ProvisioningJob job;
    if (contentType.startsWith(CSV)) {
      DeviceCsv.Parsed parsed = DeviceCsv.parse(new String(Bodies.bytes(ctx, limits.maxBulkBodyBytes()),
          StandardCharsets.UTF_8), KEY_COLUMNS);
      job = jobs.submit(principal, parsed.rows(), parsed.errors(), QueryParams.positiveLong(ctx, "validityDays"));
    } else if (contentType.startsWith("application/json") || contentType.isEmpty()) {
      JsonNode body = Bodies.json(ctx, limits.maxBulkBodyBytes());
      Optional<Long> validity = Optional.empty();
      JsonNode array = body;
      if (body.isObject()) {
        for (String field : (Iterable<String>) body::fieldNames) {
          if (!field.equals("devices") && !field.equals("validityDays")) {
            throw new ValidationException(field, "is not a field of a manifest; use devices and validityDays");
          }
        }
        JsonNode days = body.path("validityDays");
        if (!days.isMissingNode() && !days.canConvertToLong()) {
          throw new ValidationException("validityDays", "must be a whole number of days");
        }
        validity = days.isMissingNode() ? Optional.empty() : Optional.of(days.asLong());
        array = body.path("devices");
      }
      job = jobs.submit(principal, rows(array), List.of(), validity);
    } else {
      throw new BadRequestException("send the manifest as application/json or text/csv, not " + contentType);
    }
    ctx.header("Location", "/api/v1/provisioning/jobs/" + job.id());
    Bodies.send(ctx, 202, ProvisioningJson.job(job));
  }

  private static List<ObjectNode> rows(JsonNode array) {
    if (!array.isArray()) {
      throw new BadRequestException("the manifest must be a JSON array of devices, or an object with a 'devices' "
          + "array");
    }
    List<ObjectNode> rows = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      if (!(array.get(i) instanceof ObjectNode row)) {
        throw new ValidationException("devices[" + i + "]", "each device must be a JSON object");
      }
      rows.add(row);
    }
    return rows;
  }

  private void list(Context ctx) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    jobs.list(Authentication.principal(ctx), QueryParams.limit(ctx, 50, ProvisioningJobs.MAX_PAGE))
        .forEach(j -> items.add(ProvisioningJson.job(j)));
    Bodies.send(ctx, 200, body);
  }

  private void get(Context ctx) {
    Bodies.send(ctx, 200, ProvisioningJson.job(jobs.get(Authentication.principal(ctx), ctx.pathParam("id"))));
  }

  private void cancel(Context ctx) {
    Bodies.send(ctx, 200, ProvisioningJson.job(jobs.cancel(Authentication.principal(ctx), ctx.pathParam("id"))));
  }

  private void report(Context ctx) {
    Principal principal = Authentication.principal(ctx);
    String id = ctx.pathParam("id");
    String format = QueryParams.string(ctx, "format").orElse("json");
    if (format.equals("csv")) {
      StringBuilder csv = new StringBuilder("row,deviceId,status,certificateId,error,certificatePem\r\n");
      int after = 0;
      List<ProvisioningRow> page;
      do {
        page = jobs.report(principal, id, after, ProvisioningJobs.MAX_PAGE);
        for (ProvisioningRow row : page) {
          csv.append(row.row()).append(',').append(cell(row.deviceId())).append(',').append(row.status().wireName())
              .append(',').append(cell(row.certificateId().orElse(""))).append(',')
              .append(cell(row.error().orElse(""))).append(',').append(cell(row.certificatePem().orElse("")))
              .append("\r\n");
          after = row.row();
        }
      } while (page.size() == ProvisioningJobs.MAX_PAGE);
      ctx.contentType(CSV + "; charset=utf-8").result(csv.toString());
      return;
    }
    if (!format.equals("json")) {
      throw new BadRequestException("format must be json or csv, not '" + format + "'");
    }
    int after = afterRow(ctx);
    int limit = QueryParams.limit(ctx, 100, ProvisioningJobs.MAX_PAGE);
    List<ProvisioningRow> page = jobs.report(principal, id, after, limit);
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    page.forEach(row -> items.add(ProvisioningJson.row(row)));
    if (page.size() == limit) {
      body.put("next", page.get(page.size() - 1).row());
    }
    Bodies.send(ctx, 200, body);
  }

  private static int afterRow(Context ctx) {
    Optional<String> value = QueryParams.string(ctx, "after");
    try {
      int after = value.map(Integer::parseInt).orElse(0);
      if (after >= 0) {
        return after;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadRequestException("query parameter 'after' must be a row number (0 or more)");
  }

  /** A CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
  private static String cell(String value) {
    if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }
}
