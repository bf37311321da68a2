package dev.troupe.bench.load;

/**
 * What one of the node's events looks like in the journal, as the node reports it ({@code GET
 * /bench-meta/event-size}): the raw baselines write rows with a payload of the same size, the same
 * serializer id and manifest.
 */
record RowShape(int bytes, int serializerId, String manifest) {}
