package io.flotilla.cli;

import io.flotilla.server.PortInUseException;
import io.flotilla.server.config.ConfigException;
import io.flotilla.tools.simulate.SimulationException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Errors the user can fix (a bad setting, a port in use, a simulation that cannot reach its
 * server) become one line on stderr and exit code 2, without a stack trace: their messages already
 * say what to change. Anything else is a bug and keeps picocli's default (stack trace, exit code 1).
 */
final class UserErrorHandler implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(
      Exception exception, CommandLine commandLine, ParseResult parseResult) throws Exception {
    if (exception instanceof ConfigException || exception instanceof PortInUseException
        || exception instanceof SimulationException) {
      commandLine.getErr().println("flotilla: " + exception.getMessage());
      return Main.USER_ERROR;
    }
    throw exception;
  }
}
