package io.flotilla.store.sql;

import static io.flotilla.store.sql.RegistryFixtures.ACME;
import static io.flotilla.store.sql.RegistryFixtures.GLOBEX;
import static io.flotilla.store.sql.RegistryFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.acl.TopicAction;
import io.flotilla.core.acl.TopicRule;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.tenant.TenantId;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

public abstract class TopicRuleContract extends ContractPart {

  static TopicRule rule(TenantId tenant, String id, String filter, Set<TopicAction> actions, Optional<String> profile) {
    return new TopicRule(tenant, id, "rule " + id, filter, actions, profile, T0, T0, 1);
  }

  /** Every field reads back as written: the {deviceId} variable, both action sets, with and without a profile. */
  @Test
  void ruleRoundTripsEveryField() {
    TopicRule scoped = rule(ACME, "status", "sites/+/status/{deviceId}", Set.of(TopicAction.PUBLISH),
        Optional.of("pump"));
    TopicRule wide = rule(ACME, "alerts", "fleet/alerts/#", Set.of(TopicAction.PUBLISH, TopicAction.SUBSCRIBE),
        Optional.empty());
    inWrite(tx -> {
      tx.topicRules().insert(scoped);
      tx.topicRules().insert(wide);
    });

    assertThat(read((RegistryTx tx) -> tx.topicRules().find(ACME, "status"))).contains(scoped);
    assertThat(read((RegistryTx tx) -> tx.topicRules().find(ACME, "alerts"))).contains(wide);
    assertThat(read((RegistryTx tx) -> tx.topicRules().find(ACME, "alerts")).orElseThrow().actions())
        .containsExactlyInAnyOrder(TopicAction.PUBLISH, TopicAction.SUBSCRIBE);
    assertThat(read((RegistryTx tx) -> tx.topicRules().find(GLOBEX, "alerts"))).isEmpty();
  }

  /** A rule id is unique within its tenant only. */
  @Test
  void takenRuleIdThrowsDuplicateKeyInItsTenantOnly() {
    inWrite(tx -> tx.topicRules().insert(rule(ACME, "r1", "a/b", Set.of(TopicAction.PUBLISH), Optional.empty())));
    assertThatThrownBy(() -> inWrite(tx -> tx.topicRules().insert(rule(ACME, "r1", "c/d",
        Set.of(TopicAction.SUBSCRIBE), Optional.empty())))).isInstanceOf(DuplicateKeyException.class);
    inWrite(tx -> tx.topicRules().insert(rule(GLOBEX, "r1", "a/b", Set.of(TopicAction.PUBLISH), Optional.empty())));
    assertThat(read((RegistryTx tx) -> tx.topicRules().find(ACME, "r1")).orElseThrow().topicFilter())
        .isEqualTo("a/b");
  }

  /** A tenant's list and count hold only its rules, in id order; the gateway's list holds every tenant's. */
  @Test
  void rulesListPerTenantInIdOrderAndAllTogether() {
    inWrite(tx -> {
      tx.topicRules().insert(rule(ACME, "zeta", "z", Set.of(TopicAction.PUBLISH), Optional.empty()));
      tx.topicRules().insert(rule(ACME, "Alpha", "a", Set.of(TopicAction.PUBLISH), Optional.empty()));
      tx.topicRules().insert(rule(ACME, "alpha", "a", Set.of(TopicAction.PUBLISH), Optional.empty()));
      tx.topicRules().insert(rule(GLOBEX, "other", "o", Set.of(TopicAction.SUBSCRIBE), Optional.empty()));
    });
    assertThat(read((RegistryTx tx) -> tx.topicRules().list(ACME))).extracting(TopicRule::id)
        .containsExactly("Alpha", "alpha", "zeta");
    assertThat(read((RegistryTx tx) -> tx.topicRules().count(ACME))).isEqualTo(3);
    assertThat(read((RegistryTx tx) -> tx.topicRules().count(GLOBEX))).isEqualTo(1);
    assertThat(read((RegistryTx tx) -> tx.topicRules().listAll()))
        .extracting(r -> r.tenant().value() + "/" + r.id())
        .containsExactly("acme/Alpha", "acme/alpha", "acme/zeta", "globex/other");
  }

  /** Updates apply only at the expected version (a profile can be removed); deletes report whether a row went. */
  @Test
  void ruleUpdateIsACompareAndSetAndDeleteReportsWhetherItDeleted() {
    TopicRule original = rule(ACME, "r1", "a/#", Set.of(TopicAction.PUBLISH), Optional.of("pump"));
    inWrite(tx -> tx.topicRules().insert(original));
    TopicRule next = new TopicRule(ACME, "r1", "changed", "a/+/b", Set.of(TopicAction.SUBSCRIBE), Optional.empty(),
        T0, T0.plusSeconds(1), 2);

    assertThat(write((RegistryTx tx) -> tx.topicRules().update(next, 1))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.topicRules().update(original, 1))).isFalse();
    assertThat(read((RegistryTx tx) -> tx.topicRules().find(ACME, "r1"))).contains(next);

    assertThat(write((RegistryTx tx) -> tx.topicRules().delete(GLOBEX, "r1"))).isFalse();
    assertThat(write((RegistryTx tx) -> tx.topicRules().delete(ACME, "r1"))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.topicRules().delete(ACME, "r1"))).isFalse();
    assertThat(read((RegistryTx tx) -> tx.topicRules().find(ACME, "r1"))).isEmpty();
  }

  /** Deleting a tenant deletes its rules and nobody else's. */
  @Test
  void rulesGoWithTheirTenant() {
    inWrite(tx -> {
      tx.topicRules().insert(rule(ACME, "r1", "a", Set.of(TopicAction.PUBLISH), Optional.empty()));
      tx.topicRules().insert(rule(GLOBEX, "r1", "a", Set.of(TopicAction.PUBLISH), Optional.empty()));
    });
    inWrite(tx -> tx.tenants().delete(ACME));
    assertThat(read((RegistryTx tx) -> tx.topicRules().listAll())).extracting(r -> r.tenant().value())
        .containsExactly("globex");
  }
}
