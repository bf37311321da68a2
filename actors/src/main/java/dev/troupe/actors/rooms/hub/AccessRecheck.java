package dev.troupe.actors.rooms.hub;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which of a hub's local users it must ask its room about again, one round at a time: requests
 * that come while a round runs wait for the next one (asked after the change, so it sees it).
 * Not thread-safe: the hub's own.
 */
final class AccessRecheck {

  /** A local user as the room checks them: admins may read members-only rooms. */
  record Who(String user, boolean admin) {}

  private boolean everyone;
  private final Set<String> users = new HashSet<>();
  private boolean running;

  /** Every local user is to be asked about. */
  void everyone() {
    everyone = true;
  }

  /** The user (with either admin flag) is to be asked about. */
  void user(String user) {
    users.add(user);
  }

  /** Whether a round may start: none running and someone asked for. */
  boolean due() {
    return !running && (everyone || !users.isEmpty());
  }

  /**
   * Starts a round (when {@link #due}): of the users present, those asked for, each once; what was
   * asked for is then done. An empty answer starts no round.
   */
  List<Who> start(Collection<Who> present) {
    if (!due()) {
      return List.of();
    }
    Set<Who> round = new LinkedHashSet<>();
    for (Who who : present) {
      if (everyone || users.contains(who.user())) {
        round.add(who);
      }
    }
    everyone = false;
    users.clear();
    running = !round.isEmpty();
    return List.copyOf(round);
  }

  /** The running round has all its answers. */
  void finished() {
    running = false;
  }
}
