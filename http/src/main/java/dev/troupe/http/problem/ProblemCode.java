package dev.troupe.http.problem;

/**
 * The stable problem codes Troupe answers with, their HTTP status and fixed title. Clients rely on
 * the codes: add new ones, never rename or reuse one.
 */
public enum ProblemCode {
  MALFORMED_JSON("malformed_json", 400, "The request body is not valid JSON for this resource"),
  INVALID_PARAMETER("invalid_parameter", 400, "A parameter is missing or invalid"),
  INVALID_REQUEST("invalid_request", 400, "The request is invalid"),
  UNAUTHENTICATED("unauthenticated", 401, "Authentication is required"),
  FORBIDDEN("forbidden", 403, "Not allowed"),
  NOT_FOUND("not_found", 404, "No such resource"),
  METHOD_NOT_ALLOWED("method_not_allowed", 405, "Method not allowed on this resource"),
  NOT_ACCEPTABLE("not_acceptable", 406, "No acceptable representation"),
  CONFLICT("conflict", 409, "The request conflicts with the resource's state"),
  HISTORY_TRIMMED("history_trimmed", 410, "Part of this history was removed by retention"),
  PRECONDITION_FAILED("precondition_failed", 412, "A precondition of the request does not hold"),
  PAYLOAD_TOO_LARGE("payload_too_large", 413, "The request body is larger than allowed"),
  URI_TOO_LONG("uri_too_long", 414, "A part of the request URI is longer than allowed"),
  UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415, "Unsupported content type"),
  UNPROCESSABLE("unprocessable", 422, "The request was understood but refused"),
  TOO_MANY_REQUESTS("too_many_requests", 429, "Too many requests; retry later"),
  INTERNAL_ERROR("internal_error", 500, "Internal error"),
  UNAVAILABLE("unavailable", 503, "Temporarily unavailable; retry later");

  private final String code;
  private final int status;
  private final String title;

  ProblemCode(String code, int status, String title) {
    this.code = code;
    this.status = status;
    this.title = title;
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }
}
