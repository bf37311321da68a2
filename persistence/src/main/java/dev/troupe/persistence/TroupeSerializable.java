package dev.troupe.persistence;

/**
 * Marker for every message, event and snapshot that crosses a node boundary or enters the journal.
 *
 * <p>It is bound to Pekko's {@code jackson-cbor} serializer in this module's {@code reference.conf}.
 * Records implementing it serialize without annotations (the build compiles with {@code
 * -parameters}). Never bind Jackson to {@code Object} or {@code Serializable}.
 */
public interface TroupeSerializable {}
