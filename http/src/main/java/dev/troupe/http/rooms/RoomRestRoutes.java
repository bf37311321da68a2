package dev.troupe.http.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.rooms.Rooms;
import dev.troupe.actors.rooms.RoomsSettings;
import dev.troupe.http.RouteSupport;
import dev.troupe.http.problem.ProblemCode;
import dev.troupe.http.problem.ProblemException;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The REST side of rooms, scoped to the caller's org (another org's room does not exist):
 * administration ({@code rooms.admin}: PUT/DELETE a room, members, bans, kick) and use ({@code
 * rooms.use}: list, read one, post, history, presence). Each room route is given its room's
 * name; the caller composes the paths ({@link RoomRoutes}).
 */
final class RoomRestRoutes extends AllDirectives {

  /** What a client may send as {@code Idempotency-Key}: 1 to 128 visible ASCII characters. */
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,128}");

  private final RouteSupport support;
  private final Rooms rooms;
  private final RoomsSettings settings;
  private final RoomJson json;
  private final JsonBodies bodies;
  private final SettingsBody settingsBody;

  RoomRestRoutes(RouteSupport support, Rooms rooms, RoomJson json) {
    this.support = support;
    this.rooms = rooms;
    this.settings = rooms.settings();
    this.json = json;
    this.bodies = new JsonBodies(support.json().mapper().getFactory());
    this.settingsBody = new SettingsBody(support.json().mapper(), settings);
  }

  // ---- administration

  Route configure(Principal principal, String room) {
    return withRequestId(
        requestId ->
            entity(
                Unmarshaller.entityToString(),
                body ->
                    onSuccess(
                        rooms.configure(principal, requestId, room, settingsBody.parse(body)),
                        configured ->
                            json(configured.created() ? StatusCodes.CREATED : StatusCodes.OK,
                                json.room(configured.info())))));
  }

  Route close(Principal principal, String room) {
    return withRequestId(requestId -> onSuccess(rooms.close(principal, requestId, room), done -> noContent()));
  }

  Route member(Principal principal, String room, String user, boolean member) {
    return withRequestId(
        requestId -> onSuccess(rooms.setMember(principal, requestId, room, user, member), done -> noContent()));
  }

  Route ban(Principal principal, String room, String user, boolean banned) {
    return withRequestId(
        requestId -> onSuccess(rooms.setBan(principal, requestId, room, user, banned), done -> noContent()));
  }

  /** {@code POST /rooms/{room}/kick {"user"}}. */
  Route kick(Principal principal, String room) {
    return withRequestId(
        requestId ->
            entity(
                Unmarshaller.entityToString(),
                body ->
                    onSuccess(rooms.kick(principal, requestId, room, kickedUser(body)), done -> noContent())));
  }

  private String kickedUser(String body) {
    JsonNode tree;
    try {
      tree = support.json().mapper().readTree(body);
    } catch (IOException e) {
      throw new ProblemException(ProblemCode.MALFORMED_JSON, "the body is not valid JSON");
    }
    if (tree == null || !tree.isObject()) {
      throw new ProblemException(ProblemCode.MALFORMED_JSON, "the body must be a JSON object {\"user\"}");
    }
    Iterator<String> names = tree.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!name.equals("user")) {
        throw new ProblemException(ProblemCode.INVALID_PARAMETER, "unknown field '" + name + "'");
      }
    }
    JsonNode user = tree.get("user");
    if (user == null || !user.isTextual()) {
      throw new ProblemException(ProblemCode.INVALID_PARAMETER, "'user' (a username) is required");
    }
    return user.asText();
  }

  // ---- use

  Route list(Principal principal) {
    return onSuccess(rooms.list(principal), infos -> json(StatusCodes.OK, json.rooms(infos)));
  }

  Route info(Principal principal, String room) {
    return onSuccess(rooms.info(principal, room), info -> json(StatusCodes.OK, json.room(info)));
  }

  /**
   * {@code POST /rooms/{room}/messages}: the body, one JSON object of at most {@code
   * max-message-size} bytes (413 beyond, checked here and not only by the entity), is kept as sent.
   */
  Route post(Principal principal, String room) {
    return withRequestId(
        requestId ->
            optionalHeaderValueByName(
                "Idempotency-Key",
                key -> {
                  Optional<String> idempotencyKey = key.map(RoomRestRoutes::idempotencyKey);
                  return withSizeLimit(
                      settings.maxMessageBytes(),
                      () ->
                          entity(
                              Unmarshaller.entityToString(),
                              body ->
                                  onSuccess(
                                      rooms.post(principal, requestId, room, idempotencyKey, message(body)),
                                      result -> {
                                        HttpResponse response =
                                            HttpResponse.create()
                                                .withStatus(StatusCodes.CREATED)
                                                .withEntity(ContentTypes.APPLICATION_JSON, json.posted(result));
                                        return complete(
                                            result.replayed()
                                                ? response.addHeader(RawHeader.create("Idempotent-Replayed", "true"))
                                                : response);
                                      })));
                }));
  }

  private String message(String body) {
    String object = bodies.object(body);
    if (Utf8.length(object) > settings.maxMessageBytes()) {
      throw new ProblemException(
          ProblemCode.PAYLOAD_TOO_LARGE, "the message is larger than " + settings.maxMessageBytes() + " bytes");
    }
    return object;
  }

  private static String idempotencyKey(String value) {
    if (!IDEMPOTENCY_KEY.matcher(value).matches()) {
      throw new ProblemException(
          ProblemCode.INVALID_PARAMETER, "'Idempotency-Key' must be 1 to 128 visible ASCII characters");
    }
    return value;
  }

  /** {@code GET /rooms/{room}/messages?after=&before=&limit=}: a page and the room's head. */
  Route history(Principal principal, String room) {
    return extractRequest(
        request -> {
          HistoryQuery query = HistoryQuery.parse(request.getUri().query(), settings.historyPageLimit());
          var page =
              rooms
                  .history(principal, room, query.after(), query.before(), query.limit())
                  .thenCombine(rooms.info(principal, room), (messages, info) -> json.page(messages, info.head()));
          return onSuccess(page, body -> json(StatusCodes.OK, body));
        });
  }

  Route presence(Principal principal, String room) {
    return onSuccess(rooms.presence(principal, room), state -> json(StatusCodes.OK, json.presence(state)));
  }

  // ---- helpers

  private Route withRequestId(Function<String, Route> inner) {
    return support.withContext(context -> inner.apply(context.requestId()));
  }

  private Route json(StatusCode status, String body) {
    return complete(HttpResponse.create().withStatus(status).withEntity(ContentTypes.APPLICATION_JSON, body));
  }

  private Route noContent() {
    return complete(StatusCodes.NO_CONTENT);
  }
}
