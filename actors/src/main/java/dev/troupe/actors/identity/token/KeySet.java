package dev.troupe.actors.identity.token;

import dev.troupe.persistence.TroupeSerializable;
import java.util.List;
import java.util.Optional;

/**
 * The signing keys of the cluster, oldest first: the current key signs, every listed key (current
 * or retired but still kept) verifies.
 */
public record KeySet(List<KeyEntry> keys) implements TroupeSerializable {

  public static final KeySet EMPTY = new KeySet(List.of());

  public KeySet {
    keys = List.copyOf(keys);
  }

  /** The key that signs new tokens: the newest key that is not retired. */
  public Optional<KeyEntry> current() {
    for (int i = keys.size() - 1; i >= 0; i--) {
      if (!keys.get(i).retired()) {
        return Optional.of(keys.get(i));
      }
    }
    return Optional.empty();
  }

  public Optional<KeyEntry> find(String kid) {
    return keys.stream().filter(k -> k.kid().equals(kid)).findFirst();
  }
}
