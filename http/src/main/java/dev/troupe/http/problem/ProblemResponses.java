package dev.troupe.http.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** Writes {@link Problem}s as {@code application/problem+json} responses. */
public final class ProblemResponses {

  /** {@code application/problem+json}, UTF-8. */
  public static final ContentType.WithFixedCharset PROBLEM_JSON =
      MediaTypes.customWithFixedCharset(
              "application", "problem+json", HttpCharsets.UTF_8, Map.of(), false)
          .toContentType();

  private final ObjectMapper mapper;

  public ProblemResponses(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public HttpResponse response(Problem problem, List<HttpHeader> headers) {
    ObjectNode body = mapper.createObjectNode();
    body.put("type", problem.type());
    body.put("title", problem.title());
    body.put("status", problem.status());
    body.put("detail", problem.detail());
    body.put("code", problem.code());
    if (problem.requestId() != null) {
      body.put("requestId", problem.requestId());
    }
    if (problem.extensions() != null) {
      problem.extensions().forEach((key, value) -> body.set(key, mapper.valueToTree(value)));
    }
    return HttpResponse.create()
        .withStatus(StatusCodes.get(problem.status()))
        .addHeaders(headers)
        .withEntity(PROBLEM_JSON, body.toString());
  }
}
