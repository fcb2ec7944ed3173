package io.flotilla.core.service;

import io.flotilla.core.event.DomainEvents;
import io.flotilla.core.event.InProcessDomainEvents;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.twin.TwinLimits;
import java.time.Clock;

/** The registry's services over one store, built together so adapters take a single dependency. */
public record RegistryServices(TenantService tenants, UserService users, TokenService tokens,
    ProfileService profiles, DeviceService devices, DeviceImport imports, GroupService groups,
    TopicRuleService topicRules, RegisteredCaService registeredCas, AuditService audit,
    CredentialService credentials, DeviceAuthentication deviceAuthentication, ConnectivityService connectivity,
    Bootstrap bootstrap, DomainEvents events, TwinService twins) {

  /** Services with an event stream of their own, for tools and tests that do not listen. */
  public static RegistryServices over(RegistryStore store, Clock clock) {
    return over(store, clock, new InProcessDomainEvents());
  }

  public static RegistryServices over(RegistryStore store, Clock clock, DomainEvents events) {
    return over(store, clock, events, TwinLimits.DEFAULT);
  }

  /** Services whose twins are held to {@code twinLimits} (the server's configured ones). */
  public static RegistryServices over(RegistryStore store, Clock clock, DomainEvents events, TwinLimits twinLimits) {
    return new RegistryServices(new TenantService(store, clock, events), new UserService(store, clock),
        new TokenService(store, clock), new ProfileService(store, clock), new DeviceService(store, clock, events),
        new DeviceImport(store, clock), new GroupService(store, clock), new TopicRuleService(store, clock, events),
        new RegisteredCaService(store, clock), new AuditService(store),
        new CredentialService(store, clock, events), new DeviceAuthentication(store, clock, events),
        new ConnectivityService(store, clock, events), new Bootstrap(store, clock),
        events, new TwinService(store, clock, events, twinLimits));
  }
}
