package dev.troupe.actors.identity.apikey;

/** A key just created: what is stored, and the key itself, which is shown this once only. */
public record CreatedKey(StoredKey stored, String key) {
  @Override
  public String toString() {
    return "CreatedKey[stored=" + stored + ", key=[redacted]]";
  }
}
