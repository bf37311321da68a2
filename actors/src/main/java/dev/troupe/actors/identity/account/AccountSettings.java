package dev.troupe.actors.identity.account;

import com.typesafe.config.Config;

/**
 * What bounds an account: the most sessions a user keeps ({@code
 * troupe.identity.limits.sessions-per-user}), the most projects it may hold roles in ({@code
 * troupe.identity.limits.projects-per-org}), and its {@link LoginPolicy}.
 */
public record AccountSettings(int sessionsPerUser, int projectsPerOrg, LoginPolicy login) {

  public AccountSettings {
    if (sessionsPerUser < 1 || projectsPerOrg < 0) {
      throw new IllegalArgumentException("sessions-per-user must be >= 1, projects-per-org >= 0");
    }
  }

  public static AccountSettings from(Config config) {
    Config limits = config.getConfig("troupe.identity.limits");
    return new AccountSettings(
        limits.getInt("sessions-per-user"),
        limits.getInt("projects-per-org"),
        LoginPolicy.from(config));
  }
}
