package dev.troupe.samples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.LoadState;
import dev.troupe.http.rooms.ClientScript;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JavaScript rooms client that the node serves, in Chromium, against a scripted WebSocket (no
 * server): the frames it sends, dedupe by offset, resume with {@code since} after a reconnect,
 * pending posts on a lost connection, presence bookkeeping, room endings and revocation. The
 * scenario is {@code client-check.js} beside this test.
 */
class TroupeClientBrowserIT {

  private static HeadlessChromium chromium;

  @BeforeAll
  static void start() {
    assumeFalse(Boolean.getBoolean("troupe.skipBrowserTests"), "browser tests skipped");
    chromium = new HeadlessChromium();
  }

  @AfterAll
  static void stop() {
    if (chromium != null) chromium.close();
  }

  @Test
  void reconnectsResumesAndDedupesByOffset() throws IOException {
    try (Page page = chromium.browser.newPage()) {
      page.setContent("<!doctype html><title>client check</title>");
      page.addScriptTag(new Page.AddScriptTagOptions().setContent(resource(ClientScript.RESOURCE)));
      page.addScriptTag(new Page.AddScriptTagOptions().setContent(resource("dev/troupe/samples/chat/client-check.js")));
      page.waitForLoadState(LoadState.DOMCONTENTLOADED);
      Object steps = page.evaluate("() => checkTroupeClient()");
      assertThat(((List<?>) steps).stream().map(String::valueOf).toList()).hasSizeGreaterThan(20).contains("the resume fills the gap without duplicates");
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = TroupeClientBrowserIT.class.getClassLoader().getResourceAsStream(name)) {
      return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
