package dev.troupe.persistence.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.troupe.persistence.entity.EntityModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders events and states for audit output, with every {@link Secret} component replaced by
 * {@code "[redacted]"} and the audit record taken out of the payload (it is shown as {@code meta}).
 *
 * <p>It has its own mapper: the journal's CBOR mapper must keep secrets, this one must never
 * show them. Thread-safe.
 */
public final class AuditRenderer {

  public static final String REDACTED = "[redacted]";

  private final ObjectMapper mapper;

  public AuditRenderer() {
    SimpleModule redaction = new SimpleModule("troupe-audit-redaction");
    redaction.setSerializerModifier(new Redaction());
    this.mapper =
        JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .addModule(redaction)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();
  }

  /** The audit form of one journal event. */
  public AuditEvent event(EntityModel<?, ?> model, long seq, Object event) {
    AuditedEvent audited = (AuditedEvent) event;
    JsonNode payload = mapper.valueToTree(model.viewOfEvent(event));
    return new AuditEvent(
        seq,
        event.getClass().getSimpleName(),
        audited.audit().timestamp(),
        payload,
        AuditEvent.Meta.of(audited.audit()));
  }

  /** The audit form of a state. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public JsonNode state(EntityModel model, Object state) {
    return mapper.valueToTree(model.viewOfState(state));
  }

  /** The mapper that writes audit JSON (also used to write the response bodies). */
  public ObjectMapper mapper() {
    return mapper;
  }

  private static final class Redaction extends BeanSerializerModifier {
    private static final long serialVersionUID = 1L;

    @Override
    public List<BeanPropertyWriter> changeProperties(
        SerializationConfig config, BeanDescription description, List<BeanPropertyWriter> props) {
      boolean audited = AuditedEvent.class.isAssignableFrom(description.getBeanClass());
      List<BeanPropertyWriter> kept = new ArrayList<>(props.size());
      for (BeanPropertyWriter writer : props) {
        if (audited && writer.getName().equals("audit")) {
          continue;
        }
        if (isSecret(writer, description)) {
          writer.assignSerializer(RedactedSerializer.INSTANCE);
          writer.assignNullSerializer(RedactedSerializer.INSTANCE);
        }
        kept.add(writer);
      }
      return kept;
    }

    private static boolean isSecret(BeanPropertyWriter writer, BeanDescription description) {
      if (writer.getAnnotation(Secret.class) != null) {
        return true;
      }
      for (BeanPropertyDefinition property : description.findProperties()) {
        if (property.getName().equals(writer.getName())
            && property.getField() != null
            && property.getField().hasAnnotation(Secret.class)) {
          return true;
        }
      }
      return false;
    }
  }

  private static final class RedactedSerializer extends JsonSerializer<Object> {
    static final RedactedSerializer INSTANCE = new RedactedSerializer();

    @Override
    public void serialize(Object value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(REDACTED);
    }
  }
}
