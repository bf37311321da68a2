package dev.troupe.actors.cache.bucket;

import dev.troupe.persistence.TroupeSerializable;
import dev.troupe.persistence.audit.RequestContext;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What a cache bucket ({@code cache-bucket}, or {@code cache-memory-bucket} for namespaces that
 * are not durable) accepts. A bucket holds the keys of one namespace whose hash falls in it; its
 * entity id is {@code <tenant>:<namespace>~<n>}. Keys, tags, ttls and sizes are validated by the
 * caller ({@code Cache}) before a command is sent.
 */
public sealed interface BucketCommand extends TroupeSerializable {

  /** Read a live entry (null entry in the reply when absent or expired). Counts a hit or miss. */
  record Get(String key, ActorRef<BucketReply.Got> replyTo) implements BucketCommand {}

  /**
   * Store a value for {@code ttl} from now. {@code ifMatch} (nullable) requires the current etag;
   * {@code ifAbsent} requires no live entry. Replies {@link BucketReply.Stored} or {@link
   * BucketReply.PreconditionFailed}.
   */
  record Put(
      RequestContext context,
      String key,
      byte[] value,
      String contentType,
      Duration ttl,
      List<String> tags,
      String ifMatch,
      boolean ifAbsent,
      ActorRef<BucketReply.PutReply> replyTo)
      implements BucketCommand {}

  /** Remove a key; replies whether a live entry was there. */
  record Delete(RequestContext context, String key, ActorRef<BucketReply.Deleted> replyTo)
      implements BucketCommand {}

  /** Remove every entry carrying the tag; replies how many. */
  record InvalidateTag(RequestContext context, String tag, ActorRef<BucketReply.Count> replyTo)
      implements BucketCommand {}

  /** Remove every entry; replies how many. */
  record Flush(RequestContext context, ActorRef<BucketReply.Count> replyTo) implements BucketCommand {}

  /** The bucket's figures. */
  record GetStats(ActorRef<BucketReply.Stats> replyTo) implements BucketCommand {}

  /**
   * getOrCompute's first step: replies {@link BucketReply.Found} for a live entry, {@link
   * BucketReply.Granted} (a load lease) when nobody is loading the key, and otherwise parks the
   * caller until the holder fills the key (Found) or gives the lease up (Granted to the next
   * waiter). A caller parked longer than {@code maxWait} is forgotten (its ask has timed out).
   */
  record Acquire(String key, Duration maxWait, ActorRef<BucketReply.AcquireReply> replyTo)
      implements BucketCommand {}

  /**
   * The lease holder's loaded value: stored like a Put (no preconditions), and every parked
   * waiter gets it. When the lease is no longer the key's current one (it passed on after the
   * lease timeout, or a put, delete, invalidation or flush came meanwhile) and a live entry is
   * there, nothing is stored and the reply is {@link BucketReply.Superseded} with that entry;
   * without a live entry the late value is still stored.
   */
  record Fill(
      RequestContext context,
      String key,
      String leaseId,
      byte[] value,
      String contentType,
      Duration ttl,
      List<String> tags,
      ActorRef<BucketReply.PutReply> replyTo)
      implements BucketCommand {}

  /** The lease holder's load failed: the next parked waiter (if any) gets the lease. No reply. */
  record Abandon(String key, String leaseId) implements BucketCommand {}

  /** Expire every entry whose time has passed, then report the next expiry. No reply. */
  record Sweep() implements BucketCommand {}
}
