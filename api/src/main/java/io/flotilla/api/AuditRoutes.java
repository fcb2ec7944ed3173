package io.flotilla.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.audit.AuditQuery;
import io.flotilla.core.audit.AuditRecord;
import io.flotilla.core.audit.ChainVerification;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.Json;
import io.flotilla.core.service.AuditService;
import io.javalin.http.Context;
import java.util.List;

/** {@code /api/v1/audit}: the tenant's change log and its integrity check. */
final class AuditRoutes {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final AuditService audit;

  AuditRoutes(AuditService audit) {
    this.audit = audit;
  }

  List<Route> routes() {
    Routes r = new Routes("audit");
    r.get("/api/v1/audit", "listAudit", "List audit records, newest first", this::list)
        .query("entityType", "string", "device, profile, group, user, token or tenant")
        .query("entityId", "string", "only records about this entity")
        .query("actor", "string", "only records by this actor (user:<id>/token:<id>)")
        .query("from", "string", "ISO-8601 instant, inclusive")
        .query("to", "string", "ISO-8601 instant, exclusive")
        .query("limit", "integer", "page size, 1 to 1000 (default 100)")
        .query("cursor", "string", "nextCursor of the previous page")
        .response("AuditPage").add();
    r.get("/api/v1/audit/verify", "verifyAudit", "Check the whole hash chain of the tenant's audit log", this::verify)
        .response("AuditVerification").add();
    return r.all();
  }

  private void list(Context ctx) {
    int limit = QueryParams.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT);
    AuditQuery query = new AuditQuery(QueryParams.string(ctx, "entityType"), QueryParams.string(ctx, "entityId"),
        QueryParams.string(ctx, "actor"), QueryParams.instant(ctx, "from"), QueryParams.instant(ctx, "to"),
        QueryParams.positiveLong(ctx, "cursor"), limit + 1);
    List<AuditRecord> records = audit.query(Authentication.principal(ctx), query);
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    records.stream().limit(limit).forEach(r -> items.add(EntityJson.audit(r)));
    if (records.size() > limit) {
      body.put("nextCursor", Long.toString(records.get(limit - 1).seq()));
    }
    Bodies.send(ctx, 200, body);
  }

  private void verify(Context ctx) {
    ChainVerification result = audit.verify(Authentication.principal(ctx));
    ObjectNode body = Json.object().put("valid", result.valid()).put("recordsChecked", result.recordsChecked())
        .put("detail", result.detail());
    result.firstBadSeq().ifPresent(seq -> body.put("firstBadSeq", seq));
    Bodies.send(ctx, 200, body);
  }
}
