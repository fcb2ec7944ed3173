package io.flotilla.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.acl.TopicRule;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.Json;
import io.flotilla.core.service.TopicRuleService;
import io.javalin.http.Context;
import java.util.List;

/** {@code /api/v1/acl/rules}: the ordinary MQTT topics a tenant's devices may use besides their own namespace. */
final class TopicRuleRoutes {
  private final TopicRuleService rules;
  private final ApiLimits limits;

  TopicRuleRoutes(TopicRuleService rules, ApiLimits limits) {
    this.rules = rules;
    this.limits = limits;
  }

  List<Route> routes() {
    Routes r = new Routes("acl");
    r.get("/api/v1/acl/rules", "listTopicRules", "List the tenant's topic ACL rules", this::list)
        .response("TopicRuleList").add();
    r.post("/api/v1/acl/rules", "createTopicRule", "Grant devices publish or subscribe on ordinary topics",
        this::create).request("TopicRuleCreate").response("TopicRule").add();
    r.get("/api/v1/acl/rules/{id}", "getTopicRule", "Read a topic ACL rule", this::get).response("TopicRule").add();
    r.patch("/api/v1/acl/rules/{id}", "updateTopicRule", "Change a topic ACL rule with a JSON merge patch",
        this::patch).request("TopicRulePatch").response("TopicRule").add();
    r.delete("/api/v1/acl/rules/{id}", "deleteTopicRule", "Delete a topic ACL rule", this::delete).add();
    return r.all();
  }

  private void list(Context ctx) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    rules.list(Authentication.principal(ctx)).forEach(rule -> items.add(EntityJson.topicRule(rule)));
    Bodies.send(ctx, 200, body);
  }

  private void create(Context ctx) {
    TopicRule rule = rules.create(Authentication.principal(ctx), Bodies.object(ctx, limits.maxBodyBytes()));
    ctx.header("Location", "/api/v1/acl/rules/" + rule.id());
    Bodies.sendVersioned(ctx, 201, EntityJson.topicRule(rule));
  }

  private void get(Context ctx) {
    Bodies.sendVersioned(ctx, 200, EntityJson.topicRule(rules.get(Authentication.principal(ctx),
        ctx.pathParam("id"))));
  }

  private void patch(Context ctx) {
    TopicRule rule = rules.patch(Authentication.principal(ctx), ctx.pathParam("id"),
        Bodies.object(ctx, limits.maxBodyBytes()), ETags.ifMatch(ctx));
    Bodies.sendVersioned(ctx, 200, EntityJson.topicRule(rule));
  }

  private void delete(Context ctx) {
    rules.delete(Authentication.principal(ctx), ctx.pathParam("id"), ETags.ifMatch(ctx));
    ctx.status(204);
  }
}
