package io.flotilla.device;

/**
 * Runs one named command and says how it went. Runs on a virtual thread of its own, so it may block;
 * an exception it throws is answered as {@code failed} with the exception's message.
 */
@FunctionalInterface
public interface CommandHandler {
  /** Runs {@code command} and returns its outcome (null counts as {@link CommandResult#success()}). */
  CommandResult handle(Command command) throws Exception;
}
