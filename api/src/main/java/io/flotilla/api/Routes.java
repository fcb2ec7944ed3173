package io.flotilla.api;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Collects routes with a terse builder: {@code routes.get("/devices/{id}", "getDevice", …).response("Device")}. */
final class Routes {
  private final List<Route> routes = new ArrayList<>();
  private final String tag;

  Routes(String tag) {
    this.tag = tag;
  }

  Builder get(String path, String operationId, String summary, Handler handler) {
    return new Builder(HandlerType.GET, path, operationId, summary, 200, handler);
  }

  Builder post(String path, String operationId, String summary, Handler handler) {
    return new Builder(HandlerType.POST, path, operationId, summary, 201, handler);
  }

  Builder patch(String path, String operationId, String summary, Handler handler) {
    return new Builder(HandlerType.PATCH, path, operationId, summary, 200, handler);
  }

  Builder delete(String path, String operationId, String summary, Handler handler) {
    return new Builder(HandlerType.DELETE, path, operationId, summary, 204, handler);
  }

  List<Route> all() {
    return List.copyOf(routes);
  }

  /** Describes one route; it is added when {@link #add()} is called. */
  final class Builder {
    private final HandlerType method;
    private final String path;
    private final String operationId;
    private final String summary;
    private final Handler handler;
    private int status;
    private Optional<String> request = Optional.empty();
    private Optional<String> response = Optional.empty();
    private List<String> produces = List.of();
    private final List<Route.QueryParam> query = new ArrayList<>();
    private Route.Access access = Route.Access.BEARER;
    private List<Integer> otherStatuses = List.of();

    private Builder(HandlerType method, String path, String operationId, String summary, int status, Handler handler) {
      this.method = method;
      this.path = path;
      this.operationId = operationId;
      this.summary = summary;
      this.status = status;
      this.handler = handler;
    }

    Builder status(int status) {
      this.status = status;
      return this;
    }

    /** Further success statuses, answered with the same response schema (202 Accepted, say). */
    Builder alsoStatus(Integer... statuses) {
      this.otherStatuses = List.of(statuses);
      return this;
    }

    Builder request(String schema) {
      this.request = Optional.of(schema);
      return this;
    }

    Builder response(String schema) {
      this.response = Optional.of(schema);
      return this;
    }

    /** The success body is not JSON but one of these media types, chosen by the handler. */
    Builder produces(String... mediaTypes) {
      this.produces = List.of(mediaTypes);
      return this;
    }

    Builder query(String name, String type, String description) {
      query.add(new Route.QueryParam(name, type, description, false));
      return this;
    }

    Builder repeatableQuery(String name, String description) {
      query.add(new Route.QueryParam(name, "string", description, true));
      return this;
    }

    Builder open() {
      this.access = Route.Access.OPEN;
      return this;
    }

    /** Devices call it, proving themselves in the handler (HTTP Basic or client certificate). */
    Builder device() {
      this.access = Route.Access.DEVICE;
      return this;
    }

    void add() {
      routes.add(new Route(method, path, operationId, tag, summary, status, request, response, produces, query,
          access, handler, otherStatuses));
    }
  }
}
