/**
 * Commands to devices: what was asked ({@link io.flotilla.core.command.Command}), how it travels
 * ({@link io.flotilla.core.command.CommandTransport}, the gateway's port) and what the device answered
 * ({@link io.flotilla.core.command.CommandAnswer}). Nothing here is null unless typed Optional.
 */
package io.flotilla.core.command;
