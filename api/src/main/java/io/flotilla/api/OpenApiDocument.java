package io.flotilla.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the OpenAPI 3.1 document from the route table, with the component schemas kept in
 * {@code openapi-components.json} beside it; tests check those schemas against the JSON the
 * entities really have.
 */
final class OpenApiDocument {
  private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");

  private OpenApiDocument() {}

  static ObjectNode build(List<Route> routes, String version) {
    ObjectNode doc = Json.object().put("openapi", "3.1.0");
    doc.putObject("info").put("title", "Flotilla API").put("version", version)
        .put("description", "Fleet registry, identity and operations API. Errors are RFC 9457 problem documents.");
    ObjectNode paths = doc.putObject("paths");
    for (Route route : routes) {
      String path = route.path();
      ObjectNode item = paths.has(path) ? (ObjectNode) paths.get(path) : paths.putObject(path);
      item.set(route.method().name().toLowerCase(Locale.ROOT), operation(route));
    }
    ObjectNode components = components();
    ObjectNode schemes = components.putObject("securitySchemes");
    schemes.putObject("bearer").put("type", "http").put("scheme", "bearer");
    schemes.putObject("deviceBasic").put("type", "http").put("scheme", "basic")
        .put("description", "User name: the device id; password: one of its device tokens (fdt_…)");
    schemes.putObject("deviceCertificate").put("type", "mutualTLS")
        .put("description", "A client certificate registered to the device, on the HTTPS port");
    doc.set("components", components);
    return doc;
  }

  private static ObjectNode operation(Route route) {
    ObjectNode op = Json.object().put("operationId", route.operationId()).put("summary", route.summary());
    op.putArray("tags").add(route.tag());
    ArrayNode params = Json.array();
    Matcher m = PATH_PARAM.matcher(route.path());
    while (m.find()) {
      params.addObject().put("name", m.group(1)).put("in", "path").put("required", true)
          .putObject("schema").put("type", "string");
    }
    for (Route.QueryParam q : route.query()) {
      ObjectNode p = params.addObject().put("name", q.name()).put("in", "query").put("description", q.description());
      ObjectNode schema = Json.object().put("type", q.type());
      if (q.repeatable()) {
        p.put("explode", true);
        p.putObject("schema").put("type", "array").set("items", schema);
      } else {
        p.set("schema", schema);
      }
    }
    if (!params.isEmpty()) {
      op.set("parameters", params);
    }
    route.request().ifPresent(schema -> op.putObject("requestBody").put("required", true).putObject("content")
        .putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/" + schema));
    ObjectNode responses = op.putObject("responses");
    ObjectNode ok = responses.putObject(Integer.toString(route.status())).put("description", "success");
    route.response().ifPresent(schema -> ok.putObject("content").putObject("application/json")
        .putObject("schema").put("$ref", "#/components/schemas/" + schema));
    for (int other : route.otherStatuses()) {
      ObjectNode also = responses.putObject(Integer.toString(other)).put("description", "success");
      route.response().ifPresent(schema -> also.putObject("content").putObject("application/json")
          .putObject("schema").put("$ref", "#/components/schemas/" + schema));
    }
    if (!route.produces().isEmpty()) {
      ObjectNode content = ok.has("content") ? (ObjectNode) ok.get("content") : ok.putObject("content");
      for (String mediaType : route.produces()) {
        ObjectNode schema = content.putObject(mediaType).putObject("schema").put("type", "string");
        if (!mediaType.endsWith("pem-file")) {
          schema.put("format", "binary");
        }
      }
    }
    responses.putObject("default").put("description", "an RFC 9457 problem").putObject("content")
        .putObject("application/problem+json").putObject("schema").put("$ref", "#/components/schemas/Problem");
    ArrayNode security = op.putArray("security");
    switch (route.access()) {
      case BEARER -> security.addObject().putArray("bearer");
      case DEVICE -> {
        security.addObject().putArray("deviceBasic");
        security.addObject().putArray("deviceCertificate");
      }
      case OPEN -> {
        // an empty list: no credentials needed
      }
    }
    return op;
  }

  private static ObjectNode components() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream("/openapi-components.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi-components.json is missing from the classpath");
      }
      JsonNode node = Json.MAPPER.readTree(in);
      return (ObjectNode) node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
