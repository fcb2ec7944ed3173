package io.flotilla.api;

import io.flotilla.core.access.Principal;
import io.flotilla.core.error.UnauthorizedException;
import io.flotilla.core.service.TokenService;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/** Resolves the bearer token of each secured request to a principal before its handler runs. */
final class Authentication {
  private static final String PRINCIPAL = "flotilla.principal";

  private final TokenService tokens;

  Authentication(TokenService tokens) {
    this.tokens = tokens;
  }

  Handler secure(Handler handler) {
    return ctx -> {
      ctx.attribute(PRINCIPAL, tokens.authenticate(bearer(ctx)));
      handler.handle(ctx);
    };
  }

  static Principal principal(Context ctx) {
    Principal principal = ctx.attribute(PRINCIPAL);
    if (principal == null) {
      throw new IllegalStateException("route " + ctx.path() + " reads the principal but is not secured");
    }
    return principal;
  }

  private static String bearer(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) {
      throw new UnauthorizedException("this endpoint needs an API token: send 'Authorization: Bearer <token>'");
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      throw new UnauthorizedException("the Authorization header must be 'Bearer <token>'");
    }
    return header.substring(7).trim();
  }
}
