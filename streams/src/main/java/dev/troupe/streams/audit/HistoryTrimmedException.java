package dev.troupe.streams.audit;

/** The asked range starts before the first event retention kept. */
public final class HistoryTrimmedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long firstAvailableSeq;

  public HistoryTrimmedException(long firstAvailableSeq) {
    super("events before seq " + firstAvailableSeq + " were removed by retention");
    this.firstAvailableSeq = firstAvailableSeq;
  }

  public long firstAvailableSeq() {
    return firstAvailableSeq;
  }
}
