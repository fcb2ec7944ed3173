package io.flotilla.core.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.access.ApiToken;
import io.flotilla.core.access.Permission;
import io.flotilla.core.access.Principal;
import io.flotilla.core.access.Role;
import io.flotilla.core.access.TokenSecrets;
import io.flotilla.core.access.User;
import io.flotilla.core.error.ForbiddenException;
import io.flotilla.core.error.NotFoundException;
import io.flotilla.core.error.UnauthorizedException;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.FieldReader;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.store.RegistryTx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Issues, lists, revokes and checks API tokens. Only hashes are stored; a secret is shown once. */
public final class TokenService {
  static final Set<String> FIELDS = Set.of("name", "userId", "role", "expiresInSeconds", "expiresAt");

  private final RegistryStore store;
  private final Clock clock;
  private final AuditTrail audit;

  public TokenService(RegistryStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
    this.audit = new AuditTrail(clock);
  }

  /**
   * Issues a token for the caller, or for another user when the caller manages users. The token's
   * role defaults to its user's and may be narrower, never wider.
   */
  public IssuedToken issue(Principal principal, ObjectNode body) {
    FieldReader r = FieldReader.of(body, FIELDS);
    String name = Texts.name(r, "name", r.string("name").orElse("api token"));
    String userId = r.string("userId").orElse(principal.userId());
    Optional<Role> role = Optional.empty();
    try {
      role = r.string("role").map(Role::fromWire);
    } catch (ValidationException e) {
      r.error("role", e.errors().get(0).message());
    }
    Instant now = clock.instant();
    Optional<Instant> expiresAt = expiry(r, now);
    r.throwIfErrors();
    if (!userId.equals(principal.userId())) {
      principal.require(Permission.USERS_MANAGE);
    }
    Optional<Role> requested = role;
    return store.write(tx -> {
      User user = tx.users().find(principal.tenant(), userId).orElseThrow(() -> new NotFoundException("user", userId));
      Role tokenRole = requested.orElse(user.role());
      if (!user.role().covers(tokenRole) || !principal.role().covers(tokenRole)) {
        throw new ForbiddenException("a token for user '" + userId + "' cannot hold role " + tokenRole.wireName());
      }
      String secret = TokenSecrets.newSecret();
      ApiToken token = new ApiToken(principal.tenant(), TokenSecrets.newId("tok"), userId, name, tokenRole,
          TokenSecrets.hash(secret), now, expiresAt, Optional.empty());
      tx.tokens().insert(token);
      audit.record(tx, principal, "token.create", "token", token.id(), AuditTrail.ABSENT, EntityJson.token(token, now));
      return new IssuedToken(token, secret);
    });
  }

  /** Tokens of the tenant for user managers, else only the caller's own. */
  public List<ApiToken> list(Principal principal, Optional<String> userId) {
    boolean manager = principal.role().allows(Permission.USERS_MANAGE);
    if (!manager && userId.isPresent() && !userId.get().equals(principal.userId())) {
      throw new ForbiddenException("only tenant admins may list other users' tokens");
    }
    Optional<String> whose = manager ? userId : Optional.of(principal.userId());
    return store.read(tx -> tx.tokens().list(principal.tenant(), whose));
  }

  public ApiToken get(Principal principal, String id) {
    return store.read(tx -> visible(tx, principal, id));
  }

  /** Revokes a token; it stops working at once. Users may revoke their own tokens. */
  public ApiToken revoke(Principal principal, String id) {
    return store.write(tx -> {
      ApiToken current = visible(tx, principal, id);
      Instant now = clock.instant();
      if (current.isRevoked()) {
        return current;
      }
      tx.tokens().revoke(principal.tenant(), id, now);
      ApiToken revoked = new ApiToken(current.tenant(), current.id(), current.userId(), current.name(), current.role(),
          current.secretHash(), current.createdAt(), current.expiresAt(), Optional.of(now));
      audit.record(tx, principal, "token.revoke", "token", id, EntityJson.token(current, now),
          EntityJson.token(revoked, now));
      return revoked;
    });
  }

  /** Finds who holds {@code secret}; refuses unknown, revoked and expired tokens and disabled users. */
  public Principal authenticate(String secret) {
    String hash = TokenSecrets.hash(secret);
    return store.read(tx -> {
      ApiToken token = tx.tokens().findBySecretHash(hash)
          .orElseThrow(() -> new UnauthorizedException("the bearer token is not valid"));
      if (token.isRevoked()) {
        throw new UnauthorizedException("the bearer token was revoked");
      }
      if (token.isExpiredAt(clock.instant())) {
        throw new UnauthorizedException("the bearer token expired at " + token.expiresAt().orElseThrow());
      }
      User user = tx.users().find(token.tenant(), token.userId())
          .orElseThrow(() -> new UnauthorizedException("the bearer token's user no longer exists"));
      if (user.disabled()) {
        throw new UnauthorizedException("the bearer token's user is disabled");
      }
      Role role = user.role().covers(token.role()) ? token.role() : user.role();
      return new Principal(token.tenant(), token.userId(), token.id(), role);
    });
  }

  private static ApiToken visible(RegistryTx tx, Principal principal, String id) {
    ApiToken token = tx.tokens().find(principal.tenant(), id).orElseThrow(() -> new NotFoundException("token", id));
    if (!token.userId().equals(principal.userId()) && !principal.role().allows(Permission.USERS_MANAGE)) {
      throw new NotFoundException("token", id);
    }
    return token;
  }

  private static Optional<Instant> expiry(FieldReader r, Instant now) {
    Optional<Long> seconds = r.integer("expiresInSeconds");
    Optional<String> at = r.string("expiresAt");
    if (seconds.isPresent() && at.isPresent()) {
      r.error("expiresAt", "give either expiresAt or expiresInSeconds, not both");
      return Optional.empty();
    }
    if (seconds.isPresent()) {
      if (seconds.get() < 1 || seconds.get() > Duration.ofDays(3650).toSeconds()) {
        r.error("expiresInSeconds", "must be between 1 and 315360000 (ten years)");
        return Optional.empty();
      }
      return Optional.of(now.plusSeconds(seconds.get()));
    }
    if (at.isPresent()) {
      try {
        Instant when = Instant.parse(at.get());
        if (!when.isAfter(now)) {
          r.error("expiresAt", "must be in the future");
        }
        return Optional.of(when);
      } catch (DateTimeParseException e) {
        r.error("expiresAt", "must be an ISO-8601 instant such as 2027-01-31T00:00:00Z");
      }
    }
    return Optional.empty();
  }
}
