package io.flotilla.store.sql;

import static io.flotilla.store.sql.RegistryFixtures.ACME;
import static io.flotilla.store.sql.RegistryFixtures.GLOBEX;
import static io.flotilla.store.sql.RegistryFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.ca.ProvisioningTemplate;
import io.flotilla.core.ca.ProvisioningTemplate.Approval;
import io.flotilla.core.ca.ProvisioningTemplate.IdSource;
import io.flotilla.core.ca.RegisteredCa;
import io.flotilla.core.json.Json;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.tenant.TenantId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** CAs tenants registered (bring your own CA) and the registration codes that prove their keys. */
public abstract class RegisteredCaContract extends ContractPart {
  static final ProvisioningTemplate TEMPLATE = new ProvisioningTemplate("meter", List.of("field", "north"),
      Map.of("site", "north"), IdSource.SAN_DNS, Approval.PENDING,
      Optional.of(Json.object().put("interval", 60)));

  static RegisteredCa ca(TenantId tenant, String id, String key, String subject) {
    return new RegisteredCa(tenant, id, "-----BEGIN CERTIFICATE-----\n" + id + "\n-----END CERTIFICATE-----\n",
        subject, key, "cert-" + key, T0.minusSeconds(60), T0.plus(Duration.ofDays(365)), TEMPLATE, true, T0, T0, 1);
  }

  /** A registered CA reads back as written, template and all; each tenant lists only its own. */
  @Test
  void registeredCaRoundTripsPerTenant() {
    RegisteredCa acme = ca(ACME, "rca_1", "k1", "cn=acme");
    inWrite(tx -> {
      tx.registeredCas().insert(acme);
      tx.registeredCas().insert(ca(GLOBEX, "rca_1", "k2", "cn=globex"));
    });

    assertThat(read((RegistryTx tx) -> tx.registeredCas().find(ACME, "rca_1"))).contains(acme);
    assertThat(read((RegistryTx tx) -> tx.registeredCas().list(ACME))).containsExactly(acme);
    assertThat(read((RegistryTx tx) -> tx.registeredCas().findByKeyFingerprint("k2")))
        .map(RegisteredCa::tenant).contains(GLOBEX);
  }

  /** A CA's key is registered once across all tenants: another tenant's second registration is refused. */
  @Test
  void aCaKeyBelongsToOneTenant() {
    inWrite(tx -> tx.registeredCas().insert(ca(ACME, "rca_1", "k1", "cn=acme")));

    assertThatThrownBy(() -> inWrite(tx -> tx.registeredCas().insert(ca(GLOBEX, "rca_9", "k1", "cn=acme"))))
        .isInstanceOf(DuplicateKeyException.class);
  }

  /** Lookup by subject crosses tenants and skips inactive CAs; updates compare the version. */
  @Test
  void activeCasAreFoundBySubjectAcrossTenants() {
    RegisteredCa acme = ca(ACME, "rca_1", "k1", "cn=same");
    inWrite(tx -> {
      tx.registeredCas().insert(acme);
      tx.registeredCas().insert(ca(GLOBEX, "rca_2", "k2", "cn=same"));
      tx.registeredCas().insert(ca(GLOBEX, "rca_3", "k3", "cn=other"));
    });
    assertThat(read((RegistryTx tx) -> tx.registeredCas().activeBySubject("cn=same"))).extracting(RegisteredCa::id)
        .containsExactly("rca_1", "rca_2");

    RegisteredCa inactive = acme.with(TEMPLATE, false, T0.plusSeconds(5));
    assertThat(write((RegistryTx tx) -> tx.registeredCas().update(inactive, 1))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.registeredCas().update(inactive, 1))).as("stale version").isFalse();
    assertThat(read((RegistryTx tx) -> tx.registeredCas().activeBySubject("cn=same"))).extracting(RegisteredCa::id)
        .containsExactly("rca_2");
    assertThat(write((RegistryTx tx) -> tx.registeredCas().delete(ACME, "rca_1"))).isTrue();
    assertThat(read((RegistryTx tx) -> tx.registeredCas().find(ACME, "rca_1"))).isEmpty();
  }

  /** A registration code works once, for its own tenant, until it expires. */
  @Test
  void registrationCodesAreSingleUseTenantBoundAndExpire() {
    inWrite(tx -> {
      tx.registeredCas().insertCode(ACME, "h1", T0.plusSeconds(3600), T0);
      tx.registeredCas().insertCode(ACME, "h2", T0.plusSeconds(10), T0);
    });

    assertThat(write((RegistryTx tx) -> tx.registeredCas().consumeCode(GLOBEX, "h1", T0))).isFalse();
    assertThat(write((RegistryTx tx) -> tx.registeredCas().consumeCode(ACME, "h1", T0))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.registeredCas().consumeCode(ACME, "h1", T0))).isFalse();
    assertThat(write((RegistryTx tx) -> tx.registeredCas().consumeCode(ACME, "h2", T0.plusSeconds(10)))).isFalse();
  }
}
