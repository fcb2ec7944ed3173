package io.flotilla.tools.simulate;

/** The simulation cannot go on for a reason the user can fix; the message says what to do. */
public final class SimulationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  SimulationException(String message) {
    super(message);
  }

  SimulationException(String message, Throwable cause) {
    super(message, cause);
  }
}
