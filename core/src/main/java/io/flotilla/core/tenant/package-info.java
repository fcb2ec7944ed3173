/** Tenants, the unit of isolation. Nothing in this package is null unless typed Optional. */
package io.flotilla.core.tenant;
