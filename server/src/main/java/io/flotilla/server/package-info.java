/** The embeddable server: wiring of stores, services and listeners. Nothing here is null unless typed Optional. */
package io.flotilla.server;
