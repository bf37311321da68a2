package dev.troupe.actors.identity.org;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;

/**
 * An immutable set of names kept as one sorted array: iteration (and so serialization) is in
 * name order, lookups are binary searches, and adding a name copies one array instead of
 * rebuilding a tree, which keeps a directory of many thousand users cheap to grow event by event.
 * Unmodifiable: the mutators of {@link AbstractSet} throw, as its iterator cannot remove.
 */
public final class SortedNames extends AbstractSet<String> {

  private static final SortedNames EMPTY = new SortedNames(new String[0]);

  private final String[] names;

  private SortedNames(String[] names) {
    this.names = names;
  }

  /** The empty set. */
  public static SortedNames empty() {
    return EMPTY;
  }

  /** The given names, sorted and without duplicates (the same instance if it already is one). */
  public static SortedNames of(Collection<String> names) {
    if (names instanceof SortedNames sorted) {
      return sorted;
    }
    String[] array = names.stream().distinct().sorted().toArray(String[]::new);
    return array.length == 0 ? EMPTY : new SortedNames(array);
  }

  /** This set with one more name (this set itself if the name is already in it). */
  public SortedNames with(String name) {
    int at = Arrays.binarySearch(names, name);
    if (at >= 0) {
      return this;
    }
    int insert = -at - 1;
    String[] grown = new String[names.length + 1];
    System.arraycopy(names, 0, grown, 0, insert);
    grown[insert] = name;
    System.arraycopy(names, insert, grown, insert + 1, names.length - insert);
    return new SortedNames(grown);
  }

  @Override
  public boolean contains(Object o) {
    return o instanceof String name && Arrays.binarySearch(names, name) >= 0;
  }

  @Override
  public Iterator<String> iterator() {
    return Arrays.asList(names).iterator();
  }

  @Override
  public int size() {
    return names.length;
  }
}
