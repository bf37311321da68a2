package dev.troupe.http.context;

/** How a request proved who it comes from; decides which checks apply (CSRF only for cookies). */
public enum AuthMethod {
  /** {@code Authorization: Bearer <access token>} (or the {@code /ws} subprotocol entry). */
  BEARER,
  /** {@code Authorization: ApiKey trp_...}. */
  API_KEY,
  /** The browser session cookie; state-changing requests also need the CSRF token. */
  COOKIE,
  /** A single-use ticket from {@code POST /auth/ws-ticket}, on {@code GET /ws} and SSE only. */
  TICKET,
  /** An application's own {@link Authenticator} ({@code troupe.http.authenticator}). */
  CUSTOM
}
