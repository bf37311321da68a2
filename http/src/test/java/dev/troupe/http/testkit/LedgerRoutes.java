package dev.troupe.http.testkit;

import dev.troupe.actors.entity.Entities;
import dev.troupe.actors.testkit.Ledger;
import dev.troupe.http.RouteSupport;
import dev.troupe.persistence.audit.RequestContext;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.pattern.StatusReply;

/**
 * {@code GET /ledgers/{id}}, {@code POST /ledgers/{id}/deposits} and {@code .../withdrawals} with
 * {@code {"amount":n}}, {@code PUT /ledgers/{id}/pin} with {@code {"pinHash":"..."}}.
 */
final class LedgerRoutes extends AllDirectives {

  /** Body of deposits and withdrawals. */
  record AmountRequest(long amount) {}

  /** Body of a PIN change. */
  record PinRequest(String pinHash) {}

  private final RouteSupport support;

  LedgerRoutes(RouteSupport support) {
    this.support = support;
  }

  Route route() {
    return pathPrefix(
        "ledgers",
        () ->
            pathPrefix(
                PathMatchers.segment(),
                id ->
                    support.withContext(
                        context ->
                            concat(
                                pathEnd(
                                    () ->
                                        get(() -> reply(ask(context, id, (ctx, replyTo) -> new Ledger.GetBalance(replyTo))))),
                                path(
                                    "deposits",
                                    () ->
                                        post(
                                            () ->
                                                entity(
                                                    support.json().unmarshaller(AmountRequest.class),
                                                    body ->
                                                        reply(
                                                            ask(
                                                                context,
                                                                id,
                                                                (ctx, replyTo) ->
                                                                    new Ledger.Deposit(ctx, body.amount(), replyTo)))))),
                                path(
                                    "withdrawals",
                                    () ->
                                        post(
                                            () ->
                                                entity(
                                                    support.json().unmarshaller(AmountRequest.class),
                                                    body ->
                                                        reply(
                                                            ask(
                                                                context,
                                                                id,
                                                                (ctx, replyTo) ->
                                                                    new Ledger.Withdraw(ctx, body.amount(), replyTo)))))),
                                path(
                                    "pin",
                                    () ->
                                        put(
                                            () ->
                                                entity(
                                                    support.json().unmarshaller(PinRequest.class),
                                                    body ->
                                                        reply(
                                                            ask(
                                                                context,
                                                                id,
                                                                (ctx, replyTo) ->
                                                                    new Ledger.SetPin(ctx, body.pinHash(), replyTo))))))))));
  }

  private CompletionStage<Ledger.Balance> ask(
      RequestContext context,
      String id,
      BiFunction<RequestContext, ActorRef<StatusReply<Ledger.Balance>>, Ledger.Command> command) {
    return support.askWithStatus(
        Entities.ref(support.system(), Ledger.KIND, context.tenant(), id),
        replyTo -> command.apply(context, replyTo));
  }

  private Route reply(CompletionStage<Ledger.Balance> balance) {
    return onSuccess(balance, value -> completeOK(value, support.json().marshaller()));
  }
}
