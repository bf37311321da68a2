package dev.troupe.streams.audit;

/** Too many state rebuilds run at once on this node; the caller should retry later. */
public final class RebuildLimitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RebuildLimitException(int limit) {
    super("more than " + limit + " state rebuilds in flight");
  }
}
