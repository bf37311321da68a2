package dev.troupe.http.rooms;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.troupe.http.problem.ProblemCode;
import dev.troupe.http.problem.ProblemException;
import java.io.IOException;

/** Checks that a request body is exactly one JSON object and gives its text as sent. */
final class JsonBodies {

  private final JsonFactory factory;

  JsonBodies(JsonFactory factory) {
    this.factory = factory;
  }

  /**
   * The object's text from its '{' to its '}' (surrounding whitespace dropped); a 400 {@code
   * malformed_json} when the body is not one JSON object.
   */
  String object(String body) {
    try (JsonParser p = factory.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new ProblemException(ProblemCode.MALFORMED_JSON, "the body must be a JSON object");
      }
      int start = (int) p.currentTokenLocation().getCharOffset();
      p.skipChildren();
      int end = (int) p.currentTokenLocation().getCharOffset() + 1;
      if (p.nextToken() != null) {
        throw new ProblemException(ProblemCode.MALFORMED_JSON, "trailing content after the JSON object");
      }
      return body.substring(start, end);
    } catch (IOException e) {
      throw new ProblemException(ProblemCode.MALFORMED_JSON, "the body is not valid JSON");
    }
  }
}
