package io.flotilla.tools.bench;

/** A store answered a benchmark query wrongly: the run fails, since its figures would be worthless. */
final class QueryWrongAnswer extends RuntimeException {
  private static final long serialVersionUID = 1L;

  QueryWrongAnswer(String message) {
    super(message);
  }
}
