package dev.troupe.actors.rooms.live;

/** STUB (helper B implements): this node's live connections by session id. */
public final class Connections {

  /**
   * Ends every live connection opened with the session: each gets an error with the code (e.g.
   * {@code session_revoked}) and is closed; SSE streams end. Answers how many were closed.
   */
  public int closeSession(String sessionId, String code, String message) {
    throw new UnsupportedOperationException("stub");
  }

  /** How many connections are live on this node. */
  public int size() {
    throw new UnsupportedOperationException("stub");
  }
}
