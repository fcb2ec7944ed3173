/** Who a gateway client is, decided by the registry. Nothing here is null unless typed Optional. */
package io.flotilla.gateway.identity;
