package io.flotilla.core.service;

import io.flotilla.core.access.User;
import io.flotilla.core.tenant.Tenant;

/** A new tenant with its first administrator and that administrator's token. */
public record TenantCreated(Tenant tenant, User admin, IssuedToken adminToken) {}
