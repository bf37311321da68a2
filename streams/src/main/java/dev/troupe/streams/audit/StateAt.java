package dev.troupe.streams.audit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An entity's state rebuilt as of a point: the wire contract of {@code GET .../state}.
 *
 * @param seq the sequence number of the last event folded in (0: no event yet)
 * @param state the state's audit view, secrets redacted
 */
public record StateAt(long seq, JsonNode state) {}
