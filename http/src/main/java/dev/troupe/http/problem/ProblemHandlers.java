package dev.troupe.http.problem;

import dev.troupe.actors.cache.CacheException;
import dev.troupe.actors.identity.IdentityException;
import dev.troupe.actors.rooms.RoomException;
import dev.troupe.cluster.StageFailures;
import dev.troupe.http.cache.EntityTags;
import dev.troupe.http.context.RequestContexts;
import dev.troupe.streams.audit.HistoryTrimmedException;
import dev.troupe.streams.audit.RebuildLimitException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MalformedQueryParamRejection;
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.MissingQueryParamRejection;
import org.apache.pekko.http.javadsl.server.Rejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.RequestEntityExpectedRejection;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.UnacceptedResponseContentTypeRejection;
import org.apache.pekko.http.javadsl.server.UnsupportedRequestContentTypeRejection;
import org.apache.pekko.http.javadsl.server.ValidationRejection;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.pattern.AskTimeoutException;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns rejections and failures into {@code application/problem+json}
 * responses with a stable code. Nothing else in the HTTP layer writes an error response, and no
 * response ever carries a stack trace.
 */
public final class ProblemHandlers extends AllDirectives {

  private static final Logger log = LoggerFactory.getLogger(ProblemHandlers.class);

  private final ProblemResponses responses;
  private final long retryAfterSeconds;

  private final RejectionHandler rejections;
  private final ExceptionHandler exceptions;

  public ProblemHandlers(ProblemResponses responses, long retryAfterSeconds) {
    this.responses = responses;
    this.retryAfterSeconds = retryAfterSeconds;
    this.rejections = buildRejections();
    this.exceptions = buildExceptions();
  }

  /** Answers a problem for this request, with its request id. */
  public Route complete(Problem problem, List<HttpHeader> headers) {
    return withRequestId(id -> complete(responses.response(problem.withRequestId(id), headers)));
  }

  public Route complete(ProblemCode code, String detail) {
    return complete(Problem.of(code, detail), List.of());
  }

  /** Turns every rejection into a problem. Built once; stateless. */
  public RejectionHandler rejections() {
    return rejections;
  }

  /** Turns every failure into a problem. Built once; stateless. */
  public ExceptionHandler exceptions() {
    return exceptions;
  }

  private Route withRequestId(Function<String, Route> inner) {
    return optionalAttribute(RequestContexts.REQUEST_ID, id -> inner.apply(id.orElse(null)));
  }

  private RejectionHandler buildRejections() {
    return RejectionHandler.newBuilder()
        .handle(MalformedRequestContentRejection.class, r -> malformedContent(r))
        .handle(
            RequestEntityExpectedRejection.class,
            r -> complete(ProblemCode.MALFORMED_JSON, "a request body is required"))
        .handle(
            UnsupportedRequestContentTypeRejection.class,
            r ->
                complete(ProblemCode.UNSUPPORTED_MEDIA_TYPE,
                    "supported content types: " + r.getSupported()))
        .handle(
            MissingQueryParamRejection.class,
            r ->
                complete(ProblemCode.INVALID_PARAMETER,
                    "missing query parameter '" + r.parameterName() + "'"))
        .handle(
            MalformedQueryParamRejection.class,
            r ->
                complete(ProblemCode.INVALID_PARAMETER,
                    "query parameter '" + r.parameterName() + "': " + r.errorMsg()))
        .handle(
            ValidationRejection.class,
            r -> complete(ProblemCode.INVALID_REQUEST, r.message()))
        .handleAll(
            UnacceptedResponseContentTypeRejection.class,
            list ->
                complete(ProblemCode.NOT_ACCEPTABLE,
                    "no representation matches the Accept header"))
        .handleAll(MethodRejection.class, list -> methodNotAllowed(list))
        .handleAll(
            Rejection.class,
            list -> complete(ProblemCode.INVALID_REQUEST, "request rejected: " + list))
        .handleNotFound(complete(ProblemCode.NOT_FOUND, "no resource at this path"))
        .build();
  }

  private ExceptionHandler buildExceptions() {
    return ExceptionHandler.newBuilder().matchAny(e -> failure(StageFailures.unwrap(e))).build();
  }

  private Route failure(Throwable e) {
    if (e instanceof ProblemException problem) {
      return complete(problem.problem(), List.of());
    }
    if (e instanceof EntityStreamSizeException size) {
      return tooLarge(size);
    }
    if (e instanceof HistoryTrimmedException trimmed) {
      return complete(Problem.of(ProblemCode.HISTORY_TRIMMED, trimmed.getMessage())
              .withExtensions(Map.of("firstAvailableSeq", trimmed.firstAvailableSeq())),
          List.of());
    }
    if (e instanceof RebuildLimitException || e instanceof AskTimeoutException
        || e instanceof TimeoutException) {
      return complete(Problem.of(ProblemCode.UNAVAILABLE, "the node did not answer in time; retry later"),
          List.of(RetryAfter.create(retryAfterSeconds)));
    }
    if (e instanceof IdentityException refused) {
      return identity(refused);
    }
    if (e instanceof CacheException refused) {
      return cache(refused);
    }
    if (e instanceof RoomException refused) {
      return room(refused);
    }
    if (e instanceof StatusReply.ErrorMessage error) {
      return complete(ProblemCode.UNPROCESSABLE, error.getMessage());
    }
    if (e instanceof IllegalArgumentException invalid) {
      return complete(ProblemCode.INVALID_REQUEST, invalid.getMessage());
    }
    return withRequestId(
        requestId -> {
          log.error("request {} failed", requestId, e);
          return complete(ProblemCode.INTERNAL_ERROR, "internal error; see request " + requestId);
        });
  }

  private Route identity(IdentityException e) {
    return switch (e.kind()) {
      case UNAUTHENTICATED -> complete(
          Problem.of(ProblemCode.UNAUTHENTICATED, e.getMessage()),
          List.of(RawHeader.create("WWW-Authenticate", "Bearer realm=\"troupe\"")));
      case FORBIDDEN -> complete(ProblemCode.FORBIDDEN, e.getMessage());
      case NOT_FOUND -> complete(ProblemCode.NOT_FOUND, e.getMessage());
      case CONFLICT -> complete(ProblemCode.CONFLICT, e.getMessage());
      case INVALID -> complete(ProblemCode.INVALID_REQUEST, e.getMessage());
      case LIMIT -> complete(ProblemCode.UNPROCESSABLE, e.getMessage());
      case BUSY -> complete(
          Problem.of(ProblemCode.UNAVAILABLE, e.getMessage()),
          List.of(RetryAfter.create(e.retryAfter().map(d -> Math.max(1, d.toSeconds())).orElse(retryAfterSeconds))));
      case LOCKED -> complete(
          Problem.of(ProblemCode.TOO_MANY_REQUESTS, e.getMessage()),
          List.of(RetryAfter.create(e.retryAfter().map(d -> Math.max(1, d.toSeconds())).orElse(retryAfterSeconds))));
    };
  }

  /** A failed precondition names the current entry's etag, so a client can retry its update. */
  private Route cache(CacheException e) {
    return switch (e.kind()) {
      case INVALID -> complete(ProblemCode.INVALID_PARAMETER, e.getMessage());
      case KEY_TOO_LONG -> complete(ProblemCode.URI_TOO_LONG, e.getMessage());
      case TOO_LARGE -> complete(ProblemCode.PAYLOAD_TOO_LARGE, e.getMessage());
      case PRECONDITION_FAILED -> complete(
          Problem.of(ProblemCode.PRECONDITION_FAILED, e.getMessage()),
          e.currentEtag()
              .filter(EntityTags::writable)
              .<List<HttpHeader>>map(tag -> List.of(EntityTags.header(tag)))
              .orElse(List.of()));
      case UNAVAILABLE -> complete(
          Problem.of(ProblemCode.UNAVAILABLE, e.getMessage()), List.of(RetryAfter.create(retryAfterSeconds)));
    };
  }

  /** Both conflicts are a 409; {@code reason} tells a full room from an org out of rooms. */
  private Route room(RoomException e) {
    return switch (e.kind()) {
      case INVALID -> complete(ProblemCode.INVALID_PARAMETER, e.getMessage());
      case NOT_FOUND -> complete(ProblemCode.NOT_FOUND, e.getMessage());
      case FORBIDDEN -> complete(ProblemCode.FORBIDDEN, e.getMessage());
      case TOO_LARGE -> complete(ProblemCode.PAYLOAD_TOO_LARGE, e.getMessage());
      case ROOM_FULL, TOO_MANY_ROOMS -> complete(
          Problem.of(ProblemCode.CONFLICT, e.getMessage()).withExtensions(Map.of("reason", e.kind().code())),
          List.of());
      case UNAVAILABLE -> complete(
          Problem.of(ProblemCode.UNAVAILABLE, e.getMessage()), List.of(RetryAfter.create(retryAfterSeconds)));
    };
  }

  private Route malformedContent(MalformedRequestContentRejection rejection) {
    Throwable cause = StageFailures.unwrap(rejection.getCause());
    if (cause instanceof EntityStreamSizeException size) {
      return tooLarge(size);
    }
    return complete(ProblemCode.MALFORMED_JSON, firstLine(rejection.message()));
  }

  private Route tooLarge(EntityStreamSizeException e) {
    return complete(ProblemCode.PAYLOAD_TOO_LARGE,
        "the request body exceeds the limit of " + e.limit() + " bytes");
  }

  private Route methodNotAllowed(List<MethodRejection> rejections) {
    var methods = rejections.stream().map(MethodRejection::supported).distinct().toList();
    return complete(Problem.of(
            ProblemCode.METHOD_NOT_ALLOWED,
            "allowed: " + methods.stream().map(m -> m.name()).collect(Collectors.joining(", "))),
        List.of(Allow.create(methods.toArray(new HttpMethod[0]))));
  }


  /** Parser messages can quote the body over several lines; the first says what is wrong. */
  private static String firstLine(String message) {
    if (message == null) {
      return "malformed request body";
    }
    int newline = message.indexOf('\n');
    String line = newline < 0 ? message : message.substring(0, newline);
    return line.length() > 300 ? line.substring(0, 300) : line;
  }
}
