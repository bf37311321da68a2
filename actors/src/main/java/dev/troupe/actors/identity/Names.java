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

  /**
   * The prefix of API key principals' user names ({@code key-<id>}): no account may take a name
   * with it, or it would share a key's room memberships, bans, presence and audit identity.
   */
  public static final String RESERVED_USER_PREFIX = "key-";

  private static final Pattern NAME = Pattern.compile(PATTERN);

  private Names() {}

  /**
   * Whether the name is a valid org, project or user name. A key principal's {@code key-<id>} is
   * one (rooms, presence and audit take it like any user's); creating an account checks {@link
   * #validAccount} instead.
   */
  public static boolean valid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** Whether a new account may take the user name: {@link #valid} and not {@link #RESERVED_USER_PREFIX}. */
  public static boolean validAccount(String username) {
    return valid(username) && !username.startsWith(RESERVED_USER_PREFIX);
  }
}
