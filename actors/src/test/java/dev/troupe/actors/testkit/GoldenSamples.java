package dev.troupe.actors.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;

/**
 * Checks persisted event and snapshot types against golden serialized samples, so a change that
 * would make stored data unreadable fails the build instead of a production recovery.
 *
 * <p>Each sample's bytes, serializer id and manifest are kept in a file under the module's {@code
 * src/test/golden/}. A golden file is never rewritten: the test reads the stored bytes with the
 * current classes and expects the sample back. A sample without a golden file gets one written,
 * and the test fails once so that it is committed. Shared by every module and application that
 * defines entities (it ships in this module's test-jar).
 */
public final class GoldenSamples {

  private GoldenSamples() {}

  /** Verifies every sample, keyed by the golden file's name. */
  public static void verify(ActorSystem<?> system, Path dir, Map<String, Object> samples)
      throws IOException {
    Serialization serialization = SerializationExtension.get(system);
    StringBuilder written = new StringBuilder();
    for (Map.Entry<String, Object> sample : samples.entrySet()) {
      Path file = dir.resolve(sample.getKey() + ".golden");
      if (!Files.exists(file)) {
        write(serialization, sample.getValue(), file);
        written.append(' ').append(file);
        continue;
      }
      Properties golden = new Properties();
      try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        golden.load(reader);
      }
      Object read =
          serialization
              .deserialize(
                  Base64.getDecoder().decode(golden.getProperty("bytes")),
                  Integer.parseInt(golden.getProperty("serializer")),
                  golden.getProperty("manifest"))
              .get();
      assertThat(read).as("golden sample %s read with today's classes", file).isEqualTo(sample.getValue());
    }
    assertThat(written.toString()).as("new golden samples were written; commit them").isEmpty();
  }

  /** Fails unless every permitted subtype of a sealed event interface has a sample. */
  public static void assertCovers(Class<?> sealedType, Map<String, Object> samples) {
    Set<Class<?>> sampled = new java.util.HashSet<>();
    samples.values().forEach(sample -> sampled.add(sample.getClass()));
    for (Class<?> subtype : sealedType.getPermittedSubclasses()) {
      assertThat(sampled).as("golden sample for %s", subtype.getName()).contains(subtype);
    }
  }

  private static void write(Serialization serialization, Object sample, Path file)
      throws IOException {
    var serializer = serialization.findSerializerFor(sample);
    Properties golden = new Properties();
    golden.setProperty("type", sample.getClass().getName());
    golden.setProperty("serializer", Integer.toString(serializer.identifier()));
    golden.setProperty("manifest", Serializers.manifestFor(serializer, sample));
    golden.setProperty(
        "bytes", Base64.getEncoder().encodeToString(serialization.serialize(sample).get()));
    Files.createDirectories(file.getParent());
    try (var writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      golden.store(writer, "Golden serialized sample. Never edit or regenerate: add a new one.");
    }
  }
}
