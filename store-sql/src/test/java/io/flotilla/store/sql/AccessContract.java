package io.flotilla.store.sql;

import static io.flotilla.store.sql.RegistryFixtures.ACME;
import static io.flotilla.store.sql.RegistryFixtures.GLOBEX;
import static io.flotilla.store.sql.RegistryFixtures.T0;
import static io.flotilla.store.sql.RegistryFixtures.token;
import static io.flotilla.store.sql.RegistryFixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.access.ApiToken;
import io.flotilla.core.access.Role;
import io.flotilla.core.access.User;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.RegistryTx;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

public abstract class AccessContract extends ContractPart {

  @BeforeEach
  void createUsers() {
    inWrite(tx -> {
      tx.users().insert(user(ACME, "bob"));
      tx.users().insert(user(ACME, "alice"));
      tx.users().insert(user(GLOBEX, "alice"));
    });
  }

  /** A user reads back as written; users list in id order, per tenant. */
  @Test
  void userIsFoundAndUsersListInIdOrderPerTenant() {
    User carol = new User(ACME, "carol", "Carol C.", Role.TENANT_ADMIN, true, T0, T0.plusMillis(7), 4);
    inWrite(tx -> tx.users().insert(carol));

    assertThat(read((RegistryTx tx) -> tx.users().find(ACME, "carol"))).contains(carol);
    assertThat(read((RegistryTx tx) -> tx.users().find(GLOBEX, "carol"))).isEmpty();
    assertThat(read((RegistryTx tx) -> tx.users().list(ACME))).extracting(User::id).containsExactly("alice", "bob", "carol");
    assertThat(read((RegistryTx tx) -> tx.users().list(GLOBEX))).extracting(User::id).containsExactly("alice");
  }

  /** A user id is unique within a tenant only. */
  @Test
  void takenUserIdThrowsDuplicateKeyInItsTenantOnly() {
    assertThatThrownBy(() -> inWrite(tx -> tx.users().insert(user(ACME, "alice"))))
        .isInstanceOf(DuplicateKeyException.class);
    inWrite(tx -> tx.users().insert(user(GLOBEX, "bob")));
    assertThat(read((RegistryTx tx) -> tx.users().find(GLOBEX, "bob"))).isPresent();
  }

  /** User updates apply only at the expected version. */
  @Test
  void userUpdateIsACompareAndSetOnVersion() {
    User disabled = new User(ACME, "alice", "Alice", Role.VIEWER, true, T0, T0.plusSeconds(1), 2);
    assertThat(write((RegistryTx tx) -> tx.users().update(disabled, 1))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.users().update(disabled, 1))).isFalse();
    assertThat(read((RegistryTx tx) -> tx.users().find(ACME, "alice"))).contains(disabled);
    assertThat(read((RegistryTx tx) -> tx.users().find(GLOBEX, "alice")).orElseThrow().version()).isEqualTo(1);
  }

  /** Deleting a user deletes its tokens too. */
  @Test
  void deletingAUserDeletesItsTokens() {
    inWrite(tx -> {
      tx.tokens().insert(token(ACME, "tok-a", "alice", T0));
      tx.tokens().insert(token(ACME, "tok-b", "bob", T0));
    });
    assertThat(write((RegistryTx tx) -> tx.users().delete(ACME, "alice"))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.users().delete(ACME, "alice"))).isFalse();

    assertThat(read((RegistryTx tx) -> tx.tokens().list(ACME, Optional.empty()))).extracting(ApiToken::id).containsExactly("tok-b");
    assertThat(read((RegistryTx tx) -> tx.tokens().findBySecretHash(token(ACME, "tok-a", "alice", T0).secretHash()))).isEmpty();
    assertThat(read((RegistryTx tx) -> tx.users().find(GLOBEX, "alice"))).isPresent();
  }

  /** Tokens read back with their optional times, and are found by secret hash across tenants. */
  @Test
  void tokenIsFoundByIdAndBySecretHashAcrossTenants() {
    ApiToken expiring = new ApiToken(GLOBEX, "tok-x", "alice", "ci", Role.OPERATOR, "abc123", T0,
        Optional.of(T0.plusSeconds(3600)), Optional.empty());
    inWrite(tx -> tx.tokens().insert(expiring));

    assertThat(read((RegistryTx tx) -> tx.tokens().findBySecretHash("abc123"))).contains(expiring);
    assertThat(read((RegistryTx tx) -> tx.tokens().find(GLOBEX, "tok-x"))).contains(expiring);
    assertThat(read((RegistryTx tx) -> tx.tokens().find(ACME, "tok-x"))).isEmpty();
    assertThat(read((RegistryTx tx) -> tx.tokens().findBySecretHash("unknown"))).isEmpty();
  }

  /** Both a token's id and its secret hash are unique keys. */
  @Test
  void takenTokenIdOrSecretHashThrowsDuplicateKey() {
    inWrite(tx -> tx.tokens().insert(token(ACME, "tok-1", "alice", T0)));
    ApiToken sameId = token(ACME, "tok-1", "bob", T0);
    ApiToken sameHashElsewhere = new ApiToken(GLOBEX, "tok-9", "alice", "n", Role.VIEWER,
        token(ACME, "tok-1", "alice", T0).secretHash(), T0, Optional.empty(), Optional.empty());

    assertThatThrownBy(() -> inWrite(tx -> tx.tokens().insert(sameId))).isInstanceOf(DuplicateKeyException.class);
    assertThatThrownBy(() -> inWrite(tx -> tx.tokens().insert(sameHashElsewhere)))
        .isInstanceOf(DuplicateKeyException.class);
  }

  /** Tokens list in creation order, for the tenant or for one user. */
  @Test
  void tokensListInCreationOrderOptionallyForOneUser() {
    inWrite(tx -> {
      tx.tokens().insert(token(ACME, "tok-c", "alice", T0.plusSeconds(3)));
      tx.tokens().insert(token(ACME, "tok-a", "bob", T0.plusSeconds(1)));
      tx.tokens().insert(token(ACME, "tok-b", "alice", T0.plusSeconds(2)));
      tx.tokens().insert(token(GLOBEX, "tok-z", "alice", T0));
    });
    assertThat(read((RegistryTx tx) -> tx.tokens().list(ACME, Optional.empty()))).extracting(ApiToken::id)
        .containsExactly("tok-a", "tok-b", "tok-c");
    assertThat(read((RegistryTx tx) -> tx.tokens().list(ACME, Optional.of("alice")))).extracting(ApiToken::id)
        .containsExactly("tok-b", "tok-c");
    assertThat(read((RegistryTx tx) -> tx.tokens().list(ACME, Optional.of("nobody")))).isEmpty();
  }

  /** A token is revoked once; revoking again, or a missing token, reports false. */
  @Test
  void revokeMarksATokenOnce() {
    inWrite(tx -> tx.tokens().insert(token(ACME, "tok-1", "alice", T0)));
    assertThat(write((RegistryTx tx) -> tx.tokens().revoke(ACME, "tok-1", T0.plusSeconds(60)))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.tokens().revoke(ACME, "tok-1", T0.plusSeconds(90)))).isFalse();
    assertThat(write((RegistryTx tx) -> tx.tokens().revoke(ACME, "missing", T0))).isFalse();
    assertThat(write((RegistryTx tx) -> tx.tokens().revoke(GLOBEX, "tok-1", T0))).isFalse();

    assertThat(read((RegistryTx tx) -> tx.tokens().find(ACME, "tok-1")).orElseThrow().revokedAt())
        .contains(T0.plusSeconds(60));
  }
}
