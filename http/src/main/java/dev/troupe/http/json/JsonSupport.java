package dev.troupe.http.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.marshalling.Marshaller;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;

/**
 * The one JSON mapper of the HTTP edge: the one Pekko's Jackson provider configures for the
 * {@code jackson-json} binding (Java time as ISO-8601 strings, parameter names, JDK 8 types).
 */
public final class JsonSupport {

  private final ObjectMapper mapper;

  public JsonSupport(ActorSystem<?> system) {
    this.mapper = JacksonObjectMapperProvider.get(system).getOrCreate("jackson-json", Optional.empty());
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  public <T> Marshaller<T, RequestEntity> marshaller() {
    return Jackson.marshaller(mapper);
  }

  public <T> Unmarshaller<HttpEntity, T> unmarshaller(Class<T> type) {
    return Jackson.unmarshaller(mapper, type);
  }

  /** Writes a value as a JSON string; values handed here are plain records and trees. */
  public String write(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON for " + value.getClass().getName(), e);
    }
  }
}
