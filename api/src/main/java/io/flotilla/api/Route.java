package io.flotilla.api;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Optional;

/**
 * One endpoint: how it is served and how the OpenAPI document describes it. Routes are the single
 * source of both, so the document cannot list an endpoint the server lacks, or miss one it has.
 *
 * @param path Javalin path with {@code {param}} placeholders, which OpenAPI shares
 * @param request component schema of the JSON body, if the endpoint takes one
 * @param response component schema of the success body, if there is one
 * @param produces media types of a success body that is not JSON (PEM, DER), when there is no {@code response}
 * @param query documented query parameters
 * @param access who may call it and how they prove it
 * @param otherStatuses further success statuses the endpoint answers with the same {@code response} schema
 */
record Route(HandlerType method, String path, String operationId, String tag, String summary, int status,
    Optional<String> request, Optional<String> response, List<String> produces, List<QueryParam> query, Access access,
    Handler handler, List<Integer> otherStatuses) {

  /** How a caller proves who it is. */
  enum Access {
    /** A user's or application's API token as bearer token, checked before the handler runs. */
    BEARER,
    /** Anyone (health, metrics, the server CA). */
    OPEN,
    /** A device, by HTTP Basic (its id and device token) or its TLS client certificate; the handler checks. */
    DEVICE
  }

  /** Whether the API token check runs before the handler. */
  boolean secured() {
    return access == Access.BEARER;
  }

  /** A documented query parameter. */
  record QueryParam(String name, String type, String description, boolean repeatable) {}
}
