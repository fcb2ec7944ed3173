/**
 * Tenant topic ACL rules: which ordinary (non-platform) MQTT topics a tenant's devices may publish to
 * and subscribe to beyond their own namespace. Nothing here is null unless typed Optional.
 */
package io.flotilla.core.acl;
