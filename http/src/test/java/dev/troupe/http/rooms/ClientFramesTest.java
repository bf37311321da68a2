package dev.troupe.http.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ClientFramesTest {

  private final ClientFrames frames = new ClientFrames(new JsonFactory());

  @Test
  void readsEveryFrameType() {
    assertThat(frames.parse("{\"type\":\"join\",\"room\":\"r\",\"ref\":\"1\",\"since\":7}"))
        .isEqualTo(new ClientFrame.Join("r", "1", OptionalLong.of(7)));
    assertThat(frames.parse("{\"ref\":\"1\",\"room\":\"r\",\"type\":\"join\"}"))
        .isEqualTo(new ClientFrame.Join("r", "1", OptionalLong.empty()));
    assertThat(frames.parse("{\"type\":\"leave\",\"room\":\"r\",\"ref\":\"2\"}"))
        .isEqualTo(new ClientFrame.Leave("r", "2"));
    assertThat(frames.parse("{\"type\":\"signal\",\"room\":\"r\",\"body\":\"typing\"}"))
        .isEqualTo(new ClientFrame.Signal("r", null, "\"typing\""));
    assertThat(frames.parse("{\"type\":\"signal\",\"room\":\"r\",\"body\":12.50}"))
        .isEqualTo(new ClientFrame.Signal("r", null, "12.50"));
  }

  @Test
  void keepsAPostBodyExactlyAsSent() {
    String body = "{ \"n\" : 1.10, \"list\": [1, {\"a\":\"}\"}], \"s\":\"\\u00e9\" }";
    ClientFrame frame = frames.parse("{\"type\":\"post\",\"room\":\"r\",\"body\":" + body + ",\"ref\":\"p\",\"extra\":[1]}");
    assertThat(frame).isEqualTo(new ClientFrame.Post("r", "p", body));
  }

  @Test
  void aPostMayCarryAnIdempotencyKeyOfVisibleAscii() {
    assertThat(frames.parse("{\"type\":\"post\",\"room\":\"r\",\"ref\":\"p\",\"key\":\"k-1!~\",\"body\":{}}"))
        .isEqualTo(new ClientFrame.Post("r", "p", "{}", "k-1!~"));
    assertThat(bad("{\"type\":\"post\",\"room\":\"r\",\"ref\":\"p\",\"key\":\"\",\"body\":{}}").message()).contains("'key'");
    assertThat(bad("{\"type\":\"post\",\"room\":\"r\",\"ref\":\"p\",\"key\":\"a b\",\"body\":{}}").ref()).isEqualTo("p");
    assertThat(bad("{\"type\":\"post\",\"room\":\"r\",\"ref\":\"p\",\"key\":\"\u00e9\",\"body\":{}}").message()).contains("'key'");
    assertThat(bad("{\"type\":\"post\",\"room\":\"r\",\"ref\":\"p\",\"key\":\"" + "k".repeat(129) + "\",\"body\":{}}").message()).contains("'key'");
    assertThat(bad("{\"type\":\"post\",\"room\":\"r\",\"ref\":\"p\",\"key\":7,\"body\":{}}").message()).contains("'key'");
  }

  @Test
  void refusesWhatIsNotAFrameKeepingTheRef() {
    assertThat(frames.parse("nope")).isEqualTo(new ClientFrame.Bad(null, null, "not JSON"));
    assertThat(frames.parse("[1]")).isEqualTo(new ClientFrame.Bad(null, null, "a frame is a JSON object"));
    assertThat(frames.parse("[]")).isInstanceOf(ClientFrame.Bad.class);
    assertThat(frames.parse("")).isInstanceOf(ClientFrame.Bad.class);
    assertThat(bad("{\"type\":\"fly\",\"room\":\"r\",\"ref\":\"x\"}").ref()).isEqualTo("x");
    assertThat(bad("{\"type\":\"join\",\"ref\":\"x\"}").message()).contains("room");
    assertThat(bad("{\"type\":\"join\",\"room\":\"r\"}").message()).contains("ref");
    assertThat(bad("{\"type\":\"post\",\"room\":\"r\",\"ref\":\"x\"}").message()).contains("body");
    assertThat(bad("{\"type\":\"post\",\"room\":\"r\",\"ref\":\"x\",\"body\":[1]}").ref()).isEqualTo("x");
    assertThat(bad("{\"type\":\"join\",\"room\":\"r\",\"ref\":\"x\",\"since\":-1}").ref()).isEqualTo("x");
    assertThat(bad("{\"type\":\"join\",\"room\":\"r\",\"ref\":\"x\",\"since\":\"3\"}").ref()).isEqualTo("x");
    assertThat(bad("{\"type\":\"join\",\"room\":\"r\",\"ref\":\"x\",\"since\":99999999999999999999}").ref()).isEqualTo("x");
    assertThat(bad("{\"type\":\"join\",\"room\":5,\"ref\":\"x\"}").message()).contains("room");
    assertThat(bad("{\"type\":\"join\",\"room\":\"r\",\"ref\":\"" + "x".repeat(129) + "\"}").ref()).isNull();
    assertThat(bad("{\"type\":\"join\",\"room\":\"r\",\"ref\":\"x\"} {}").message()).contains("trailing");
    assertThat(bad("{\"ref\":\"x\",\"type\":\"join\",\"room\":").ref()).isEqualTo("x");
  }

  private ClientFrame.Bad bad(String text) {
    ClientFrame frame = frames.parse(text);
    assertThat(frame).as(text).isInstanceOf(ClientFrame.Bad.class);
    return (ClientFrame.Bad) frame;
  }
}
