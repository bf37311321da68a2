package dev.troupe.http.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.troupe.actors.rooms.RoomSettings;
import dev.troupe.actors.rooms.RoomsSettings;
import dev.troupe.http.problem.ProblemCode;
import dev.troupe.http.problem.ProblemException;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * The body of {@code PUT /rooms/{room}}: {@code {"visibility":"public|members","maxHistory":n,
 * "maxConnections":n,"posting":"anyone|members|admins"}}. A PUT states the whole settings: what it
 * leaves out takes the default of {@code troupe.rooms.defaults}. Unknown fields and values out of
 * range ({@code troupe.rooms.limits}) are a 400.
 */
final class SettingsBody {

  private final ObjectMapper mapper;
  private final RoomsSettings settings;

  SettingsBody(ObjectMapper mapper, RoomsSettings settings) {
    this.mapper = mapper;
    this.settings = settings;
  }

  RoomSettings parse(String body) {
    JsonNode tree = tree(body);
    RoomSettings defaults = settings.defaults();
    RoomSettings.Visibility visibility = defaults.visibility();
    long maxHistory = defaults.maxHistory();
    int maxConnections = defaults.maxConnections();
    RoomSettings.Posting posting = defaults.posting();
    for (Map.Entry<String, JsonNode> field : tree.properties()) {
      JsonNode value = field.getValue();
      switch (field.getKey()) {
        case "visibility" -> visibility = choice(RoomSettings.Visibility.class, "visibility", value);
        case "posting" -> posting = choice(RoomSettings.Posting.class, "posting", value);
        case "maxHistory" -> maxHistory = number("maxHistory", value, settings.maxHistoryLimit());
        case "maxConnections" ->
            maxConnections = (int) number("maxConnections", value, settings.maxConnectionsLimit());
        default -> throw invalid("unknown field '" + field.getKey() + "'");
      }
    }
    return new RoomSettings(visibility, maxHistory, maxConnections, posting);
  }

  private JsonNode tree(String body) {
    if (body.isBlank()) {
      return mapper.createObjectNode();
    }
    JsonNode tree;
    try {
      tree = mapper.readTree(body);
    } catch (IOException e) {
      throw new ProblemException(ProblemCode.MALFORMED_JSON, "the body is not valid JSON");
    }
    if (tree == null || !tree.isObject()) {
      throw new ProblemException(ProblemCode.MALFORMED_JSON, "the body must be a JSON object");
    }
    return tree;
  }

  private static <E extends Enum<E>> E choice(Class<E> type, String name, JsonNode value) {
    if (value.isTextual()) {
      String text = value.asText();
      for (E constant : type.getEnumConstants()) {
        if (constant.name().toLowerCase(Locale.ROOT).equals(text)) {
          return constant;
        }
      }
    }
    StringBuilder allowed = new StringBuilder();
    for (E constant : type.getEnumConstants()) {
      allowed.append(allowed.length() == 0 ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT));
    }
    throw invalid("'" + name + "' must be one of " + allowed);
  }

  private static long number(String name, JsonNode value, long max) {
    if (value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= 1 && value.asLong() <= max) {
      return value.asLong();
    }
    throw invalid("'" + name + "' must be an integer from 1 to " + max);
  }

  private static ProblemException invalid(String detail) {
    return new ProblemException(ProblemCode.INVALID_PARAMETER, detail);
  }
}
