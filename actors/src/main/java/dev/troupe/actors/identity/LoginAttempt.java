package dev.troupe.actors.identity;

/**
 * A login as it arrives: credentials, the org (null: the system org, where sys-admins live), and
 * where it comes from. The password never leaves the login path and is never logged.
 */
public record LoginAttempt(
    String username,
    String password,
    String org,
    String device,
    String ip,
    String userAgent,
    String requestId) {

  @Override
  public String toString() {
    return "LoginAttempt[" + username + "@" + org + " from " + ip + "]";
  }
}
