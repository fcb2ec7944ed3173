/**
 * Tenant topic ACL rules in the device gateway: the rules of every tenant held in memory
 * ({@code TopicRuleCache}), refreshed from domain events, and the authorizer that consults them
 * after the namespace rules ({@code TenantRulesAuthorizer}). Nothing here is null unless typed Optional.
 */
package io.flotilla.gateway.acl;
