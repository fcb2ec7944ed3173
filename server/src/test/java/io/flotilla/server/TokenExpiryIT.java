package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.access.Principal;
import io.flotilla.core.error.UnauthorizedException;
import io.flotilla.core.json.Json;
import io.flotilla.core.service.IssuedToken;
import io.flotilla.core.service.RegistryServices;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.tenant.TenantId;
import io.flotilla.store.sql.RegistryStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token expiry, with a clock the test moves instead of waiting. */
class TokenExpiryIT {
  @TempDir
  Path dir;

  @Test
  void tokenStopsWorkingWhenItExpires() {
    MovableClock clock = new MovableClock(Instant.parse("2026-11-22T12:00:00Z"));
    try (RegistryStore store = RegistryStores.open("jdbc:sqlite:" + dir.resolve("registry.db"))) {
      RegistryServices services = RegistryServices.over(store, clock);
      services.bootstrap().initialize(Optional.of(TestServers.ADMIN_TOKEN));
      Principal admin = services.tokens().authenticate(TestServers.ADMIN_TOKEN);
      IssuedToken shortLived = services.tokens().issue(admin,
          (com.fasterxml.jackson.databind.node.ObjectNode) Json.readTrusted("{\"name\":\"ci\",\"expiresInSeconds\":60}"));
      assertThat(services.tokens().authenticate(shortLived.secret()).tokenId()).isEqualTo(shortLived.token().id());
      clock.advance(Duration.ofSeconds(60));
      assertThatThrownBy(() -> services.tokens().authenticate(shortLived.secret()))
          .isInstanceOf(UnauthorizedException.class).hasMessageContaining("expired");
      assertThat(services.tokens().authenticate(TestServers.ADMIN_TOKEN).tenant()).isEqualTo(TenantId.DEFAULT);
    }
  }

  /** A clock that only moves when told to. */
  static final class MovableClock extends Clock {
    private Instant now;

    MovableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
