package dev.troupe.http.rooms;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Parses client frames strictly, in one streaming pass: anything but one JSON object of a known
 * type with its required fields is a {@link ClientFrame.Bad} (which keeps the {@code ref} and
 * {@code room} when they could be read, for the error frame). Unknown fields are ignored. A body
 * is cut out of the frame's text as sent, so it is kept exactly (no re-encoding of numbers).
 */
final class ClientFrames {

  /** Longest {@code ref} echoed back; longer ones are refused. */
  static final int MAX_REF_CHARS = 128;

  /** A post's {@code key}: 1 to 128 visible ASCII characters, like {@code Idempotency-Key}. */
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,128}");

  private final JsonFactory factory;

  ClientFrames(JsonFactory factory) {
    this.factory = factory;
  }

  /** Fields read so far; kept when the frame turns out malformed, for the error frame. */
  private static final class Fields {
    String type;
    String room;
    String ref;
    OptionalLong since = OptionalLong.empty();
    String body;
    String key;
    boolean bodyIsObject;
    String problem;

    void problem(String message) {
      if (problem == null) {
        problem = message;
      }
    }
  }

  ClientFrame parse(String text) {
    Fields f = new Fields();
    try (JsonParser p = factory.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return new ClientFrame.Bad(null, null, "a frame is a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "type" -> f.type = string(p, value, f, "type");
          case "room" -> f.room = string(p, value, f, "room");
          case "ref" -> f.ref = ref(p, value, f);
          case "since" -> since(p, value, f);
          case "body" -> body(text, p, value, f);
          case "key" -> f.key = key(p, value, f);
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        f.problem("trailing content after the frame");
      }
    } catch (IOException e) {
      return new ClientFrame.Bad(f.room, f.ref, "not JSON");
    }
    return frame(f);
  }

  private static ClientFrame frame(Fields f) {
    if (f.problem != null) {
      return new ClientFrame.Bad(f.room, f.ref, f.problem);
    }
    if (f.type == null) {
      return new ClientFrame.Bad(f.room, f.ref, "missing field 'type'");
    }
    String missing = missing(f);
    if (missing != null) {
      return new ClientFrame.Bad(f.room, f.ref, "missing field '" + missing + "'");
    }
    return switch (f.type) {
      case "join" -> new ClientFrame.Join(f.room, f.ref, f.since);
      case "leave" -> new ClientFrame.Leave(f.room, f.ref);
      case "post" -> f.bodyIsObject
          ? new ClientFrame.Post(f.room, f.ref, f.body, f.key)
          : new ClientFrame.Bad(f.room, f.ref, "a post's body is a JSON object");
      case "signal" -> new ClientFrame.Signal(f.room, f.ref, f.body);
      default -> new ClientFrame.Bad(f.room, f.ref, "unknown frame type '" + shortened(f.type) + "'");
    };
  }

  /** The first required field the frame's type lacks, or null. */
  private static String missing(Fields f) {
    boolean known = switch (f.type) {
      case "join", "leave", "post", "signal" -> true;
      default -> false;
    };
    if (!known) {
      return null;
    }
    if (f.room == null) {
      return "room";
    }
    if (!f.type.equals("signal") && f.ref == null) {
      return "ref";
    }
    if ((f.type.equals("post") || f.type.equals("signal")) && f.body == null) {
      return "body";
    }
    return null;
  }

  private static String string(JsonParser p, JsonToken value, Fields f, String name) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    f.problem("'" + name + "' must be a string");
    p.skipChildren();
    return null;
  }

  private static String ref(JsonParser p, JsonToken value, Fields f) throws IOException {
    String ref = string(p, value, f, "ref");
    if (ref != null && ref.length() > MAX_REF_CHARS) {
      f.problem("'ref' is longer than " + MAX_REF_CHARS + " characters");
      return null;
    }
    return ref;
  }

  private static String key(JsonParser p, JsonToken value, Fields f) throws IOException {
    String key = string(p, value, f, "key");
    if (key != null && !KEY.matcher(key).matches()) {
      f.problem("'key' must be 1 to 128 visible ASCII characters");
      return null;
    }
    return key;
  }

  private static void since(JsonParser p, JsonToken value, Fields f) throws IOException {
    if (value == JsonToken.VALUE_NUMBER_INT
        && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
        && p.getLongValue() >= 0) {
      f.since = OptionalLong.of(p.getLongValue());
      return;
    }
    f.problem("'since' must be an offset (an integer >= 0)");
    p.skipChildren();
  }

  private void body(String text, JsonParser p, JsonToken value, Fields f) throws IOException {
    if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
      int start = (int) p.currentTokenLocation().getCharOffset();
      p.skipChildren();
      int end = (int) p.currentTokenLocation().getCharOffset() + 1;
      f.body = text.substring(start, end);
      f.bodyIsObject = value == JsonToken.START_OBJECT;
    } else if (value == JsonToken.VALUE_STRING) {
      f.body = quoted(p.getText());
    } else {
      // numbers, booleans and null: their text as sent
      f.body = p.getText();
    }
  }

  private String quoted(String value) throws IOException {
    StringWriter out = new StringWriter(value.length() + 2);
    try (JsonGenerator json = factory.createGenerator(out)) {
      json.writeString(value);
    }
    return out.toString();
  }

  private static String shortened(String value) {
    return value.length() > 32 ? value.substring(0, 32) + "..." : value;
  }
}
