package io.flotilla.server.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link Setting#LOG_LEVEL} to Logback: Flotilla's own loggers ({@code io.flotilla})
 * get the level; libraries keep their configured level (info, warn for the chattiest) unless
 * the setting is quieter. So debug means Flotilla's debug, not Jetty's. Called by the command
 * line, not by an embedded server: an application embedding Flotilla keeps its own logging.
 */
public final class LogLevels {
  private static final String FLOTILLA = "io.flotilla";

  private LogLevels() {
  }

  /** Sets the levels; does nothing when SLF4J is not bound to Logback. */
  public static void apply(String logLevel) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Level level = Level.toLevel(logLevel, Level.INFO);
    for (Logger logger : context.getLoggerList()) {
      boolean flotilla = logger.getName().equals(FLOTILLA)
          || logger.getName().startsWith(FLOTILLA + ".");
      if (!flotilla && logger.getLevel() != null && !logger.getLevel().isGreaterOrEqual(level)) {
        logger.setLevel(level);
      }
    }
    context.getLogger(FLOTILLA).setLevel(level);
  }
}
