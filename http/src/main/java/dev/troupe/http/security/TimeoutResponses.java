package dev.troupe.http.security;

import java.util.function.UnaryOperator;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.scaladsl.TimeoutAccess;
import org.apache.pekko.http.scaladsl.model.HttpResponse;
import org.apache.pekko.japi.Function;
import scala.Function1;
import scala.concurrent.duration.Duration;

/**
 * Gives the request-timeout response the edge's headers. Pekko writes that response itself, past
 * every directive's {@code mapResponse}; the handler is set (later, further in) through the
 * request's synthetic {@code Timeout-Access} header. The edge swaps that header for this wrapper,
 * which passes every handler on wrapped in the edge's decoration.
 */
final class TimeoutResponses implements TimeoutAccess {

  private final TimeoutAccess delegate;
  private final UnaryOperator<org.apache.pekko.http.javadsl.model.HttpResponse> decorate;

  private TimeoutResponses(
      TimeoutAccess delegate,
      UnaryOperator<org.apache.pekko.http.javadsl.model.HttpResponse> decorate) {
    this.delegate = delegate;
    this.decorate = decorate;
  }

  /**
   * The request with its timeout access wrapped; unchanged when it has none (not from a server).
   */
  static HttpRequest decorated(
      HttpRequest request,
      UnaryOperator<org.apache.pekko.http.javadsl.model.HttpResponse> decorate) {
    return request
        .getHeader(org.apache.pekko.http.javadsl.model.headers.TimeoutAccess.class)
        .map(h -> h.timeoutAccess())
        .filter(access -> access instanceof TimeoutAccess && !(access instanceof TimeoutResponses))
        .map(
            access ->
                request
                    .removeHeader("Timeout-Access")
                    .addHeader(
                        org.apache.pekko.http.javadsl.model.headers.TimeoutAccess.create(
                            new TimeoutResponses((TimeoutAccess) access, decorate))))
        .orElse(request);
  }

  private Function1<org.apache.pekko.http.scaladsl.model.HttpRequest, HttpResponse> wrap(
      Function1<org.apache.pekko.http.scaladsl.model.HttpRequest, HttpResponse> handler) {
    return r -> (HttpResponse) decorate.apply(handler.apply(r));
  }

  private Function<HttpRequest, org.apache.pekko.http.javadsl.model.HttpResponse> wrap(
      Function<HttpRequest, org.apache.pekko.http.javadsl.model.HttpResponse> handler) {
    return r -> decorate.apply(handler.apply(r));
  }

  @Override
  public Duration timeout() {
    return delegate.timeout();
  }

  @Override
  public Duration getTimeout() {
    return delegate.getTimeout();
  }

  @Override
  public void updateTimeout(Duration timeout) {
    delegate.updateTimeout(timeout);
  }

  @Override
  public void updateTimeout(java.time.Duration timeout) {
    delegate.updateTimeout(timeout);
  }

  @Override
  public void updateHandler(
      Function1<org.apache.pekko.http.scaladsl.model.HttpRequest, HttpResponse> handler) {
    delegate.updateHandler(wrap(handler));
  }

  @Override
  public void updateHandler(
      Function<HttpRequest, org.apache.pekko.http.javadsl.model.HttpResponse> handler) {
    delegate.updateHandler(wrap(handler));
  }

  @Override
  public void update(
      Duration timeout,
      Function1<org.apache.pekko.http.scaladsl.model.HttpRequest, HttpResponse> handler) {
    delegate.update(timeout, wrap(handler));
  }

  @Override
  public void update(
      Duration timeout,
      Function<HttpRequest, org.apache.pekko.http.javadsl.model.HttpResponse> handler) {
    delegate.update(timeout, wrap(handler));
  }

  @Override
  public void update(
      java.time.Duration timeout,
      Function<HttpRequest, org.apache.pekko.http.javadsl.model.HttpResponse> handler) {
    delegate.update(timeout, wrap(handler));
  }
}
