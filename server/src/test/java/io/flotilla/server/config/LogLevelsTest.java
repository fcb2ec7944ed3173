package io.flotilla.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogLevelsTest {
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final Map<Logger, Level> before = new HashMap<>();

  @BeforeEach
  void rememberAndSetUpAsLogbackXml() {
    context.getLogger("org.eclipse.jetty");
    context.getLogger("io.flotilla");
    for (Logger logger : context.getLoggerList()) {
      before.put(logger, logger.getLevel());
    }
    context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
    context.getLogger("io.flotilla").setLevel(Level.INFO);
    context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
  }

  @AfterEach
  void restore() {
    before.forEach(Logger::setLevel);
  }

  /** Debug means Flotilla's debug: libraries stay at info, chatty ones at warn. */
  @Test
  void debugAppliesToFlotillaOnly() {
    LogLevels.apply("debug");

    assertThat(context.getLogger("io.flotilla.api.Something").getEffectiveLevel())
        .isEqualTo(Level.DEBUG);
    assertThat(context.getLogger("com.example.Library").getEffectiveLevel())
        .isEqualTo(Level.INFO);
    assertThat(context.getLogger("org.eclipse.jetty.Server").getEffectiveLevel())
        .isEqualTo(Level.WARN);
  }

  /** A quieter level quiets libraries too. */
  @Test
  void errorQuietsEverything() {
    LogLevels.apply("error");

    assertThat(context.getLogger("io.flotilla.x").getEffectiveLevel()).isEqualTo(Level.ERROR);
    assertThat(context.getLogger("org.eclipse.jetty.Server").getEffectiveLevel())
        .isEqualTo(Level.ERROR);
    assertThat(context.getLogger("com.example.Library").getEffectiveLevel())
        .isEqualTo(Level.ERROR);
  }
}
