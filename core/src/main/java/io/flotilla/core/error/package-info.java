/** Refusals that the domain raises and every adapter translates; nothing here is null. */
package io.flotilla.core.error;
