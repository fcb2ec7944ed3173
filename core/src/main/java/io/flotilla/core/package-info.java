/** Shared rules of the domain. Nothing here is null unless typed Optional. */
package io.flotilla.core;
