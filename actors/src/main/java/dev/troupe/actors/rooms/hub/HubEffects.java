package dev.troupe.actors.rooms.hub;

import dev.troupe.actors.rooms.RoomMessage;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.slf4j.Logger;

/**
 * What a {@link RoomHub}'s collaborators ask of the actor: its timers, its topic, its log and
 * answers piped back to it. Only the actor touches its context and timers; it implements this.
 * Call only from the actor's own message handling.
 */
interface HubEffects {

  /** The actor's log (its context's, as of the call). */
  Logger log();

  /** Publishes on the room's topic. */
  void publish(RoomBroadcast message);

  /** Sends the batched presence changes after one batch interval, unless already due. */
  void scheduleFlush();

  /** (Re)starts the countdown to stopping while the hub has no client. */
  void startIdleCountdown();

  /** Stops the countdown to stopping: a client joined. */
  void cancelIdleCountdown();

  /** Hands the read of a hole to the actor, as {@code Filled}. */
  void pipeFill(CompletionStage<List<RoomMessage>> read);

  /** A read of a hole could not even start: the actor gets a failed {@code Filled}. */
  void fillFailed(Throwable failure);

  /** Tries the hole again after the gap-fill timeout. */
  void retryFillLater();

  /** Tells the actor {@code RecheckDone} when the round of access checks has all its answers. */
  void pipeRecheckDone(CompletionStage<Done> done);

  /** Asks again about failed access checks after the gap-fill timeout, unless already due. */
  void retryRecheckLater();

  /** The warmup is over: no more warmup ticks. */
  void stopWarmupTicks();

  /** Asks the topic how many instances it knows, answered as {@code Stats}. */
  void askTopicStats();
}
