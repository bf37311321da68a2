package dev.troupe.http.problem;

import java.util.Map;

/**
 * An RFC 9457 problem document, the body of every error response.
 *
 * <p>{@code code} is stable: clients branch on it, never on {@code title} or {@code detail}.
 * {@code type} is {@code urn:troupe:problem:<code>}.
 *
 * @param type {@code urn:troupe:problem:<code>}
 * @param title a short, fixed summary for the code
 * @param status the HTTP status
 * @param detail what went wrong with this request; never a stack trace or a secret
 * @param code the stable machine-readable code
 * @param requestId the request's {@code X-Request-Id}, to find it in the logs
 * @param extensions further members for some codes, such as {@code firstAvailableSeq}
 */
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String code,
    String requestId,
    Map<String, Object> extensions) {

  public static final String TYPE_PREFIX = "urn:troupe:problem:";

  public static Problem of(ProblemCode code, String detail) {
    return new Problem(
        TYPE_PREFIX + code.code(), code.title(), code.status(), detail, code.code(), null, null);
  }

  public Problem withRequestId(String id) {
    return new Problem(type, title, status, detail, code, id, extensions);
  }

  public Problem withExtensions(Map<String, Object> more) {
    return new Problem(type, title, status, detail, code, requestId, Map.copyOf(more));
  }
}
