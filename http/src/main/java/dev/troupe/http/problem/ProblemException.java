package dev.troupe.http.problem;

import java.util.Map;

/**
 * Thrown (or used to fail a future) by routes and services to answer with a given problem. The
 * one exception handler turns it into an {@code application/problem+json} response.
 */
public final class ProblemException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Problem problem;

  public ProblemException(ProblemCode code, String detail) {
    this(Problem.of(code, detail));
  }

  public ProblemException(ProblemCode code, String detail, Map<String, Object> extensions) {
    this(Problem.of(code, detail).withExtensions(extensions));
  }

  public ProblemException(Problem problem) {
    super(problem.code() + ": " + problem.detail(), null, false, false);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }
}
