package dev.troupe.actors.identity;

import java.util.regex.Pattern;

/**
 * Names of orgs, projects and users: lowercase, bounded, and safe as entity ids and URL segments.
 * Checked at the edge before any entity is asked.
 */
public final class Names {

  /** The pattern every org, project and user name matches. */
  public static final String PATTERN = "[a-z0-9][a-z0-9._-]{0,62}";

  /** The reserved org that holds the node's sys-admins; no one can create it. */
  public static final String SYSTEM_ORG = "system";

  private static final Pattern NAME = Pattern.compile(PATTERN);

  private Names() {}

  public static boolean valid(String name) {
    return name != null && NAME.matcher(name).matches();
  }
}
