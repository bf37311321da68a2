package dev.troupe.actors.rooms.room;

import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/**
 * An immutable, sorted set of user names: states copy it only when it changes, and snapshots and
 * audit views list it in order.
 */
final class SortedNames extends AbstractSet<String> {

  static final SortedNames EMPTY = new SortedNames(new TreeSet<>());

  private final TreeSet<String> names;

  private SortedNames(TreeSet<String> names) {
    this.names = names;
  }

  /** The given names as a sorted set; the same instance when it already is one. */
  static SortedNames of(Collection<String> names) {
    if (names instanceof SortedNames sorted) {
      return sorted;
    }
    return names == null || names.isEmpty() ? EMPTY : new SortedNames(new TreeSet<>(names));
  }

  /** A copy with the name added. */
  SortedNames with(String name) {
    TreeSet<String> next = new TreeSet<>(names);
    next.add(name);
    return new SortedNames(next);
  }

  /** A copy without the name. */
  SortedNames without(String name) {
    TreeSet<String> next = new TreeSet<>(names);
    next.remove(name);
    return next.isEmpty() ? EMPTY : new SortedNames(next);
  }

  @Override
  public boolean contains(Object name) {
    return names.contains(name);
  }

  @Override
  public Iterator<String> iterator() {
    return java.util.Collections.unmodifiableSet((Set<String>) names).iterator();
  }

  @Override
  public int size() {
    return names.size();
  }
}
