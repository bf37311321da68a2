package dev.troupe.http.problem;

import dev.troupe.streams.audit.HistoryTrimmedException;
import dev.troupe.streams.audit.RebuildLimitException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.headers.Allow;
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

  public ProblemHandlers(ProblemResponses responses, long retryAfterSeconds) {
    this.responses = responses;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** Answers a problem for this request. */
  public Route complete(String requestId, Problem problem, List<HttpHeader> headers) {
    return complete(responses.response(problem.withRequestId(requestId), headers));
  }

  public Route complete(String requestId, ProblemCode code, String detail) {
    return complete(requestId, Problem.of(code, detail), List.of());
  }

  public RejectionHandler rejections(String requestId) {
    return RejectionHandler.newBuilder()
        .handle(MalformedRequestContentRejection.class, r -> malformedContent(requestId, r))
        .handle(
            RequestEntityExpectedRejection.class,
            r -> complete(requestId, ProblemCode.MALFORMED_JSON, "a request body is required"))
        .handle(
            UnsupportedRequestContentTypeRejection.class,
            r ->
                complete(
                    requestId,
                    ProblemCode.UNSUPPORTED_MEDIA_TYPE,
                    "supported content types: " + r.getSupported()))
        .handle(
            MissingQueryParamRejection.class,
            r ->
                complete(
                    requestId,
                    ProblemCode.INVALID_PARAMETER,
                    "missing query parameter '" + r.parameterName() + "'"))
        .handle(
            MalformedQueryParamRejection.class,
            r ->
                complete(
                    requestId,
                    ProblemCode.INVALID_PARAMETER,
                    "query parameter '" + r.parameterName() + "': " + r.errorMsg()))
        .handle(
            ValidationRejection.class,
            r -> complete(requestId, ProblemCode.INVALID_REQUEST, r.message()))
        .handleAll(
            UnacceptedResponseContentTypeRejection.class,
            list ->
                complete(
                    requestId,
                    ProblemCode.NOT_ACCEPTABLE,
                    "no representation matches the Accept header"))
        .handleAll(MethodRejection.class, list -> methodNotAllowed(requestId, list))
        .handleAll(
            Rejection.class,
            list -> complete(requestId, ProblemCode.INVALID_REQUEST, "request rejected: " + list))
        .handleNotFound(complete(requestId, ProblemCode.NOT_FOUND, "no resource at this path"))
        .build();
  }

  public ExceptionHandler exceptions(String requestId) {
    return ExceptionHandler.newBuilder().matchAny(e -> failure(requestId, unwrap(e))).build();
  }

  private Route failure(String requestId, Throwable e) {
    if (e instanceof ProblemException problem) {
      return complete(requestId, problem.problem(), List.of());
    }
    if (e instanceof EntityStreamSizeException size) {
      return tooLarge(requestId, size);
    }
    if (e instanceof HistoryTrimmedException trimmed) {
      return complete(
          requestId,
          Problem.of(ProblemCode.HISTORY_TRIMMED, trimmed.getMessage())
              .withExtensions(Map.of("firstAvailableSeq", trimmed.firstAvailableSeq())),
          List.of());
    }
    if (e instanceof RebuildLimitException || e instanceof AskTimeoutException
        || e instanceof TimeoutException) {
      return complete(
          requestId,
          Problem.of(ProblemCode.UNAVAILABLE, "the node did not answer in time; retry later"),
          List.of(RetryAfter.create(retryAfterSeconds)));
    }
    if (e instanceof StatusReply.ErrorMessage error) {
      return complete(requestId, ProblemCode.UNPROCESSABLE, error.getMessage());
    }
    if (e instanceof IllegalArgumentException invalid) {
      return complete(requestId, ProblemCode.INVALID_REQUEST, invalid.getMessage());
    }
    log.error("request {} failed", requestId, e);
    return complete(requestId, ProblemCode.INTERNAL_ERROR, "internal error; see request " + requestId);
  }

  private Route malformedContent(String requestId, MalformedRequestContentRejection rejection) {
    Throwable cause = unwrap(rejection.getCause());
    if (cause instanceof EntityStreamSizeException size) {
      return tooLarge(requestId, size);
    }
    return complete(requestId, ProblemCode.MALFORMED_JSON, firstLine(rejection.message()));
  }

  private Route tooLarge(String requestId, EntityStreamSizeException e) {
    return complete(
        requestId,
        ProblemCode.PAYLOAD_TOO_LARGE,
        "the request body exceeds the limit of " + e.limit() + " bytes");
  }

  private Route methodNotAllowed(String requestId, List<MethodRejection> rejections) {
    var methods = rejections.stream().map(MethodRejection::supported).distinct().toList();
    return complete(
        requestId,
        Problem.of(
            ProblemCode.METHOD_NOT_ALLOWED,
            "allowed: " + methods.stream().map(m -> m.name()).collect(Collectors.joining(", "))),
        List.of(Allow.create(methods.toArray(new HttpMethod[0]))));
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
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
