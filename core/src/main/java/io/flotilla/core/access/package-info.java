/** Users, roles, API tokens and the calling principal. Nothing here is null unless typed Optional. */
package io.flotilla.core.access;
