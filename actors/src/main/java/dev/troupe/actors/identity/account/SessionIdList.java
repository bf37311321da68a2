package dev.troupe.actors.identity.account;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.troupe.persistence.TroupeSerializable;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * An immutable list of session ids (the sessions to revoke after a password change or when an account is disabled) that can cross the wire as a reply.
 *
 * <p>Replies to asks made on another node are serialized, and a plain {@code java.util.List} has
 * no serializer; this one is a {@link TroupeSerializable} (written as a JSON array) yet still a
 * {@code List}, so the reply types of the protocol stay {@code List}.
 */
public final class SessionIdList extends AbstractList<String> implements RandomAccess, TroupeSerializable {

  private final List<String> items;

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public SessionIdList(List<String> items) {
    this.items = List.copyOf(items);
  }

  @Override
  public String get(int index) {
    return items.get(index);
  }

  @Override
  public int size() {
    return items.size();
  }
}
