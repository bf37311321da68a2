package dev.troupe.actors.identity.account;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.troupe.persistence.TroupeSerializable;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * An immutable list of an account's sessions that can cross the wire as a reply.
 *
 * <p>Replies to asks made on another node are serialized, and a plain {@code java.util.List} has
 * no serializer; this one is a {@link TroupeSerializable} (written as a JSON array) yet still a
 * {@code List}, so the reply types of the protocol stay {@code List}.
 */
public final class SessionRefList extends AbstractList<Account.SessionRef> implements RandomAccess, TroupeSerializable {

  private final List<Account.SessionRef> items;

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public SessionRefList(List<Account.SessionRef> items) {
    this.items = List.copyOf(items);
  }

  @Override
  public Account.SessionRef get(int index) {
    return items.get(index);
  }

  @Override
  public int size() {
    return items.size();
  }
}
