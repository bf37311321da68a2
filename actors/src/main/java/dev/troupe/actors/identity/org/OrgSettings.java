package dev.troupe.actors.identity.org;

import com.typesafe.config.Config;

/**
 * The bounds of one org, from {@code troupe.identity.limits}.
 *
 * @param projectsPerOrg most projects an org may have
 * @param usersPerOrg most users an org's directory may hold
 */
public record OrgSettings(int projectsPerOrg, int usersPerOrg) {

  public OrgSettings {
    if (projectsPerOrg < 0 || usersPerOrg < 0) {
      throw new IllegalArgumentException("org limits must be >= 0");
    }
  }

  public static OrgSettings from(Config config) {
    Config limits = config.getConfig("troupe.identity.limits");
    return new OrgSettings(limits.getInt("projects-per-org"), limits.getInt("users-per-org"));
  }
}
