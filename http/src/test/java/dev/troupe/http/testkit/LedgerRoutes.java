package dev.troupe.http.testkit;

import dev.troupe.actors.entity.Entities;
import dev.troupe.actors.testkit.Ledger;
import dev.troupe.http.RouteSupport;
import dev.troupe.persistence.audit.RequestContext;
import java.util.function.BiFunction;
import java.util.function.Function;
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

  /** A ledger command awaiting its reply address. */
  private interface Pending extends Function<ActorRef<StatusReply<Ledger.Balance>>, Ledger.Command> {}

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
                                pathEnd(() -> get(() -> reply(context, id, Ledger.GetBalance::new))),
                                path("deposits", () -> post(() -> withBody(AmountRequest.class, context, id,
                                    (body, ctx) -> replyTo -> new Ledger.Deposit(ctx, body.amount(), replyTo)))),
                                path("withdrawals", () -> post(() -> withBody(AmountRequest.class, context, id,
                                    (body, ctx) -> replyTo -> new Ledger.Withdraw(ctx, body.amount(), replyTo)))),
                                path("pin", () -> put(() -> withBody(PinRequest.class, context, id,
                                    (body, ctx) -> replyTo -> new Ledger.SetPin(ctx, body.pinHash(), replyTo))))))));
  }

  private <B> Route withBody(
      Class<B> type, RequestContext context, String id, BiFunction<B, RequestContext, Pending> command) {
    return entity(support.json().unmarshaller(type), body -> reply(context, id, command.apply(body, context)));
  }

  private Route reply(RequestContext context, String id, Pending command) {
    var balance =
        support.askWithStatus(Entities.ref(support.system(), Ledger.KIND, context.tenant(), id), command);
    return onSuccess(balance, value -> completeOK(value, support.json().marshaller()));
  }
}
